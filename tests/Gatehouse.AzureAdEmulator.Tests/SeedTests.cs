using Gatehouse.AzureAd.Emulator.Tests.Support;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>Seed files are validated and a mistake is named by path and reason; runtime changes go through the same checks.</summary>
public sealed class SeedTests
{
    private const string Tenant = "\"tenants\":[{\"id\":\"2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c\",\"defaultDomain\":\"contoso.onmicrosoft.com\"}]";
    private const string User = "{\"id\":\"5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7001\",\"tenantId\":\"2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c\",\"userPrincipalName\":\"a@contoso.onmicrosoft.com\",\"password\":\"x\",\"displayName\":\"A\"}";

    [Fact]
    public void The_default_seed_round_trips_through_json()
    {
        var json = SeedJson.Serialize(EmulatorSeed.Default);

        Assert.Equal(json, SeedJson.Serialize(SeedJson.Parse(json)));
        Assert.Contains("\"groupMembershipClaims\": \"SecurityGroup\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_minimal_seed_is_accepted()
    {
        var seed = SeedJson.Parse($"{{{Tenant},\"users\":[{User}]}}");

        Assert.Single(seed.Users);
        Assert.True(seed.Users[0].AccountEnabled);
    }

    [Theory]
    [InlineData("{\"tenants\":[{\"id\":\"nope\",\"defaultDomain\":\"c.onmicrosoft.com\"}]}", "$.tenants[0].id", "is not a GUID")]
    [InlineData($"{{{Tenant},\"users\":[{{\"id\":\"5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7001\",\"tenantId\":\"99999999-1c3f-4e6a-8b9d-0c1e2f3a4b5c\",\"userPrincipalName\":\"a@contoso.onmicrosoft.com\",\"password\":\"x\",\"displayName\":\"A\"}}]}}", "$.users[0].tenantId", "is not defined in $.tenants")]
    [InlineData($"{{{Tenant},\"users\":[{User},{{\"id\":\"5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7002\",\"tenantId\":\"2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c\",\"userPrincipalName\":\"A@CONTOSO.onmicrosoft.com\",\"password\":\"x\",\"displayName\":\"B\"}}]}}", "$.users[1].userPrincipalName", "duplicate UPN")]
    [InlineData($"{{{Tenant},\"groups\":[{{\"id\":\"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b0001\",\"tenantId\":\"2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c\",\"displayName\":\"G\",\"members\":[\"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b0999\"]}}]}}", "$.groups[0].members[0]", "neither a user nor a group")]
    [InlineData($"{{{Tenant},\"users\":[{{\"id\":\"5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7001\",\"tenantId\":\"2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c\",\"userPrincipalName\":\"a@fabrikam.com\",\"password\":\"x\",\"displayName\":\"A\"}}]}}", "$.users[0].userPrincipalName", "is not a domain of tenant")]
    [InlineData($"{{{Tenant},\"users\":[{{\"id\":\"5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7001\",\"tenantId\":\"2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c\",\"userPrincipalName\":\"a@contoso.onmicrosoft.com\",\"pasword\":\"x\",\"displayName\":\"A\"}}]}}", "$.users[0].pasword", "could not be mapped")]
    [InlineData($"{{{Tenant},\"apps\":[{{\"appId\":\"3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e02\",\"tenantId\":\"2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c\",\"displayName\":\"N\",\"requiredResourceAccess\":[{{\"resource\":\"api://missing\",\"scopes\":[\"x\"]}}]}}]}}", "$.apps[0].requiredResourceAccess[0].resource", "neither Microsoft Graph")]
    [InlineData($"{{{Tenant},\"groups\":[{{\"id\":\"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b0001\",\"tenantId\":\"2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c\",\"displayName\":\"G1\",\"members\":[\"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b0002\"]}},{{\"id\":\"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b0002\",\"tenantId\":\"2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c\",\"displayName\":\"G2\",\"members\":[\"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b0001\"]}}]}}", "$.groups", "form a cycle")]
    [InlineData($"{{{Tenant},\"settings\":{{\"checkOrder\":[\"tenant\"]}}}}", "$.settings.checkOrder", "exactly once")]
    [InlineData($"{{{Tenant},\"users\":[{{\"id\":\"5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7001\",\"tenantId\":\"2b7a5d4e-1c3f-4e6a-8b9d-0c1e2f3a4b5c\",\"userPrincipalName\":\"a@contoso.onmicrosoft.com\",\"displayName\":\"A\",\"accountEnabled\":\"yes\"}}]}}", "$.users[0].accountEnabled", "could not be converted")]
    public void A_seed_with_a_mistake_is_refused_naming_it(string json, string path, string reason)
    {
        var e = Assert.Throws<SeedValidationException>(() => SeedJson.Parse(json));

        var error = Assert.Single(e.Errors, x => x.Path == path);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_seed_refuses_to_start_the_emulator()
    {
        var bad = EmulatorSeed.Default with { Users = [.. EmulatorSeed.Default.Users, EmulatorSeed.Default.Users[0] with { Id = Guid.NewGuid().ToString() }] };

        var e = await Assert.ThrowsAsync<SeedValidationException>(() => AzureAdEmulator.StartAsync(new EmulatorOptions { Seed = bad, Https = false }));

        Assert.Contains("duplicate UPN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runtime_change_with_a_mistake_is_refused_and_changes_nothing()
    {
        await using var emulator = await AzureAdEmulator.StartAsync(new EmulatorOptions { Https = false });
        var before = emulator.Directory.Seed;
        var stray = new SeedUser
        {
            Id = Guid.NewGuid().ToString(), TenantId = Guid.NewGuid().ToString(), UserPrincipalName = "x@contoso.com", Password = "p", DisplayName = "X",
        };

        var e = Assert.Throws<SeedValidationException>(() => emulator.Directory.UpsertUser(stray));

        Assert.Contains(e.Errors, x => x.Path.EndsWith(".tenantId", StringComparison.Ordinal));
        Assert.Same(before, emulator.Directory.Seed);
    }
}
