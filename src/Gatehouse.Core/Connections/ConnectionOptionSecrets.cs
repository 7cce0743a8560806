using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Security;

namespace Gatehouse.Core.Connections;

/// <summary>
/// Encrypts the options a strategy declares secret (<see cref="IConnectionStrategy.SecretOptions"/>) before they
/// are stored, and decrypts them for callers allowed to read connection options. The strategy itself decrypts
/// with the same purpose (<see cref="IConnectionStrategy.SecretPurpose"/>) when it builds a live connection.
/// </summary>
public sealed class ConnectionOptionSecrets(ISecretProtector protector)
{
    public JsonElement Protect(IConnectionStrategy strategy, JsonElement options) =>
        Transform(strategy, options, (name, value) => protector.Protect(value, IConnectionStrategy.SecretPurpose(name)));

    /// <summary>A value that no longer decrypts (master key changed) is left out rather than shown scrambled.</summary>
    public JsonElement Reveal(IConnectionStrategy strategy, JsonElement stored) =>
        Transform(strategy, stored, (name, value) =>
        {
            try
            {
                return protector.Unprotect(value, IConnectionStrategy.SecretPurpose(name));
            }
            catch (CryptographicException)
            {
                return null;
            }
            catch (FormatException)
            {
                return null;
            }
        });

    private static JsonElement Transform(IConnectionStrategy strategy, JsonElement options, Func<string, string, string?> transform)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (strategy.SecretOptions.Count == 0 || options.ValueKind != JsonValueKind.Object)
            return options;
        var json = JsonNode.Parse(options.GetRawText())!.AsObject();
        foreach (var name in strategy.SecretOptions)
        {
            if (json[name] is JsonValue value && value.TryGetValue<string>(out var text))
            {
                var changed = transform(name, text);
                if (changed is null)
                    json.Remove(name);
                else
                    json[name] = changed;
            }
        }
        return JsonSerializer.SerializeToElement(json);
    }
}
