using System.Text.Json;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Security;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// <see cref="ILoginTransactionStore"/> in Redis: one key per transaction under the SHA-256 of its id (the id is the
/// login page's <c>state</c>: whoever reads Redis cannot continue someone's sign-in), expiring with the transaction.
/// Each operation is one command; <see cref="RemoveAsync"/> is a DEL, so exactly one caller ends a transaction.
/// </summary>
public sealed class RedisLoginTransactionStore(RedisConnection redis, TimeProvider time) : ILoginTransactionStore
{
    private const string Area = "tx";

    public async Task SaveAsync(LoginTransaction transaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (RedisJson.Lifetime(transaction.ExpiresAt, time) is not { } lifetime)
            return;
        var json = JsonSerializer.Serialize(transaction, RedisJson.Options);
        await redis.RunAsync("save transaction", db => db.StringSetAsync(Key(transaction.Id), json, TimeSpan.FromMilliseconds(lifetime)));
    }

    public async Task<LoginTransaction?> FindAsync(string id, CancellationToken ct)
    {
        var json = await redis.RunAsync("find transaction", db => db.StringGetAsync(Key(id)));
        return json.IsNull ? null : JsonSerializer.Deserialize<LoginTransaction>(json.ToString(), RedisJson.Options);
    }

    public Task<bool> RemoveAsync(string id, CancellationToken ct) => redis.RunAsync("remove transaction", db => db.KeyDeleteAsync(Key(id)));

    private StackExchange.Redis.RedisKey Key(string id) => redis.Key(Area, Secrets.HashToken(id));
}
