using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Storage;

namespace Gatehouse.AzureAd.Tests.Fakes;

public static class FakeProtectorExtensions
{
    /// <summary>A stored waad connection whose options hold no secret.</summary>
    public static Connection Stored(JsonObject options, string id = "con_x", string name = "azure-x") =>
        new(id, name, "waad", JsonSerializer.SerializeToElement(options), [], [], null, false, false, null, 1);
}
