using System.Text.Json;

namespace Gatehouse.Core.Connections;

/// <summary>
/// Optional for an <see cref="IConnectionStrategy"/> whose options hold secrets (e.g. waad's client_secret):
/// the Management API calls <see cref="Protect"/> before storing options and <see cref="Reveal"/> before returning them.
/// </summary>
public interface IConnectionOptionsSecrets
{
    /// <summary>Options as stored: secrets protected. <paramref name="previous"/> is the stored options on update (null on create).</summary>
    JsonElement Protect(JsonElement options, JsonElement? previous);

    /// <summary>Options as the Management API shows them.</summary>
    JsonElement Reveal(JsonElement storedOptions);
}
