using System.Data.Common;
using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Gatehouse.Storage.Store;

/// <summary>
/// <c>UPDATE table SET (every column but the key and the fixed ones) WHERE key = @k AND version = @v</c> for one entity
/// type, its SQL made from the EF model once. The login path uses it instead of ExecuteUpdate, whose setter expression
/// tree EF builds, hashes and funcletizes on every call: that was the largest store cost of a federated login in the
/// benchmark profile (docs/benchmarks.md). Each parameter comes from its column's own type mapping, so value
/// converters (UTC ticks) and provider types apply exactly as in SaveChanges.
/// </summary>
internal sealed class FullRowUpdate<TEntity> where TEntity : VersionedEntity
{
    private readonly string _sql;
    private readonly string _keyName;
    private readonly string _versionName;
    private readonly IProperty _key;
    private readonly IProperty _version;
    private readonly (IProperty Property, string Name)[] _written;

    /// <param name="db">any context of the model (only its metadata is read)</param>
    /// <param name="keyProperty">the property that names the row</param>
    /// <param name="fixedProperties">properties never written (beside the key and the surrogate primary key)</param>
    public FullRowUpdate(DbContext db, string keyProperty, params string[] fixedProperties)
    {
        var entity = db.Model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        string Column(IProperty p) => sql.DelimitIdentifier(p.GetColumnName(table)!);

        _key = entity.FindProperty(keyProperty) ?? throw new InvalidOperationException($"No property {keyProperty}.");
        _version = entity.FindProperty(nameof(VersionedEntity.Version))!;
        var written = entity.GetProperties()
            .Where(p => !p.IsPrimaryKey() && p != _key && !fixedProperties.Contains(p.Name))
            .Select((p, i) => (Property: p, Name: $"p{i}"))
            .ToArray();
        var assignments = string.Join(", ", written.Select(w => $"{Column(w.Property)} = {sql.GenerateParameterNamePlaceholder(w.Name)}"));
        _sql = $"UPDATE {sql.DelimitIdentifier(table.Name, table.Schema)} SET {assignments} " +
            $"WHERE {Column(_key)} = {sql.GenerateParameterNamePlaceholder("k")} AND {Column(_version)} = {sql.GenerateParameterNamePlaceholder("v")}";
        // The parameters carry the same names with the provider's prefix.
        _written = [.. written.Select(w => (w.Property, sql.GenerateParameterName(w.Name)))];
        _keyName = sql.GenerateParameterName("k");
        _versionName = sql.GenerateParameterName("v");
    }

    /// <summary>Writes <paramref name="row"/> (its Version is the new one) over the row whose version is <paramref name="expectedVersion"/>; the number of rows changed.</summary>
    public async Task<int> ExecuteAsync(DbContext db, TEntity row, long expectedVersion, CancellationToken ct)
    {
        await using var factory = db.Database.GetDbConnection().CreateCommand(); // only makes the parameters
        var parameters = new DbParameter[_written.Length + 2];
        for (var i = 0; i < _written.Length; i++)
        {
            var (property, name) = _written[i];
            parameters[i] = Parameter(factory, property, name, property.GetGetter().GetClrValueUsingContainingEntity(row));
        }
        parameters[^2] = Parameter(factory, _key, _keyName, _key.GetGetter().GetClrValueUsingContainingEntity(row));
        parameters[^1] = Parameter(factory, _version, _versionName, expectedVersion);
        return await db.Database.ExecuteSqlRawAsync(_sql, parameters, ct);
    }

    private static DbParameter Parameter(DbCommand factory, IProperty property, string name, object? value) =>
        property.GetRelationalTypeMapping().CreateParameter(factory, name, value, property.IsNullable);
}
