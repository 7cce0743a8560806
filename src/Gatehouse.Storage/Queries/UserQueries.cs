using System.Linq.Expressions;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Users;
using Gatehouse.Storage.Entities;

namespace Gatehouse.Storage.Queries;

/// <summary>The user search fields and sort keys of the Management API, mapped to the users table.</summary>
internal static class UserQueries
{
    /// <summary>Fields for <c>q</c>; <c>identities.connection</c> reads the user's connection name from the connections table.</summary>
    public static IReadOnlyDictionary<string, FilterField<UserEntity>> Fields(IQueryable<ConnectionEntity> connections) =>
        new Dictionary<string, FilterField<UserEntity>>
        {
            ["email"] = new FilterField<UserEntity>.Text(u => u.EmailLower, IdentifierNormalizer.Key),
            ["username"] = new FilterField<UserEntity>.Text(u => u.UsernameLower, IdentifierNormalizer.Key),
            ["name"] = new FilterField<UserEntity>.Text(u => u.Name!.ToLower()),
            ["nickname"] = new FilterField<UserEntity>.Text(u => u.Nickname!.ToLower()),
            ["given_name"] = new FilterField<UserEntity>.Text(u => u.GivenName!.ToLower()),
            ["family_name"] = new FilterField<UserEntity>.Text(u => u.FamilyName!.ToLower()),
            ["user_id"] = new FilterField<UserEntity>.Text(u => u.UserId.ToLower()),
            ["identities.connection"] = new FilterField<UserEntity>.Text(
                u => connections.Where(c => c.Id == u.ConnectionId).Select(c => c.Name.ToLower()).FirstOrDefault()),
            ["blocked"] = new FilterField<UserEntity>.Flag(u => u.Blocked),
            ["email_verified"] = new FilterField<UserEntity>.Flag(u => u.EmailVerified),
        };

    /// <summary>Orders by an Auth0 sort field (absent values last either way), then by creation for stable pages.</summary>
    public static IOrderedQueryable<UserEntity> Sort(IQueryable<UserEntity> users, string? field, bool descending)
    {
        var ordered = field switch
        {
            null or "" => By(users, u => u.Seq, descending),
            "created_at" => By(users, u => u.CreatedAt, descending),
            "updated_at" => By(users, u => u.UpdatedAt, descending),
            "last_login" => By(users.OrderBy(u => u.LastLogin == null), u => u.LastLogin, descending),
            "email" => By(users.OrderBy(u => u.EmailLower == null), u => u.EmailLower, descending),
            "name" => By(users.OrderBy(u => u.Name == null), u => u.Name!.ToLower(), descending),
            "logins_count" => By(users, u => u.LoginsCount, descending),
            "user_id" => By(users, u => u.UserId, descending),
            _ => throw new ArgumentException(
                $"Unknown sort field '{field}'. Sortable fields: created_at, updated_at, last_login, email, name, logins_count, user_id.",
                nameof(field)),
        };
        return ordered.ThenBy(u => u.Seq);
    }

    private static IOrderedQueryable<UserEntity> By<TKey>(
        IQueryable<UserEntity> users, Expression<Func<UserEntity, TKey>> key, bool descending) =>
        descending ? users.OrderByDescending(key) : users.OrderBy(key);

    private static IOrderedQueryable<UserEntity> By<TKey>(
        IOrderedQueryable<UserEntity> users, Expression<Func<UserEntity, TKey>> key, bool descending) =>
        descending ? users.ThenByDescending(key) : users.ThenBy(key);

    public static IQueryable<UserEntity> Apply(
        IQueryable<UserEntity> users, IQueryable<ConnectionEntity> connections, UserQuery query)
    {
        users = users.Where(u => u.LinkedTo == null); // a linked secondary account is an identity of its primary, not a user
        if (query.ConnectionName is { } connectionName)
            users = users.Where(u => connections.Any(c => c.Id == u.ConnectionId && c.Name == connectionName));
        if (query.Filter is { } filter)
            users = users.Where(FilterTranslator.Translate(filter, Fields(connections)));
        return users;
    }
}
