using System.Text.Json;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests.Admin;

/// <summary>The sapi events the admin layer left in a test world, and what a refused change must not leave.</summary>
internal static class AdminEvents
{
    public static IReadOnlyList<LogEvent> Writes(this TestWorld world) =>
        world.Store.Logs.Where(e => e.Type == LogTypes.ManagementApiWrite).ToList();

    public static JsonElement Request(this LogEvent e) => e.Details!.Value.GetProperty("request");

    /// <summary>Asserts the world holds exactly one sapi event, for this method and path, naming the system component.</summary>
    public static void AssertOneSystemWrite(this TestWorld world, string method, string path, string component)
    {
        var only = Assert.Single(world.Writes());
        Assert.Equal("system", only.Request().GetProperty("channel").GetString());
        Assert.Equal(method, only.Request().GetProperty("method").GetString());
        Assert.Equal(path, only.Request().GetProperty("path").GetString());
        Assert.Equal(component, only.Request().GetProperty("auth").GetProperty("subject").GetString());
    }
}
