using System.Text.Json;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests.Admin;

/// <summary>
/// A strategy's option problems reach the admin layer as fields taken from <see cref="OptionProblem.Option"/>, never
/// parsed out of their text, so a form can mark a nested option; a refusal writes nothing.
/// </summary>
public sealed class ConnectionOptionProblemsTests : IDisposable
{
    private static readonly AdminActor System = AdminActor.System("test");
    private readonly TestWorld _world = new();
    private readonly ConnectionAdmin _admin;

    public ConnectionOptionProblemsTests() =>
        _admin = new ConnectionAdmin(_world.Store, _world.Cache, new ConnectionOptionSecrets(_world.Protector), new AdminAudit(_world.Audit));

    public void Dispose() => _world.Dispose();

    private Task<Connection> CreateAsync(string name, string options) =>
        _admin.CreateAsync(System, new ConnectionDraft(name, "auth0") { Options = JsonDocument.Parse(options).RootElement }, default);

    [Fact]
    public async Task A_nested_option_is_the_field_and_its_words_are_the_management_api_message()
    {
        var refused = await Assert.ThrowsAsync<AdminException>(() => CreateAsync("nested", """{"validation":{"username":{"min":9,"max":3}}}"""));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal("options.validation.username", problem.Field);
        Assert.Equal("options.validation.username must have 1 <= min <= max <= 128", problem.Message);
        Assert.Equal("Payload validation error: 'options.validation.username must have 1 <= min <= max <= 128' on property options.", refused.Message);
        Assert.Null(await _world.Store.GetConnectionByNameAsync("nested", default));
    }

    [Fact]
    public async Task A_minimum_length_that_is_not_a_number_is_a_problem_of_its_own_field_not_a_crash()
    {
        var refused = await Assert.ThrowsAsync<AdminException>(() => CreateAsync("min-text", """{"password_complexity_options":{"min_length":"12"}}"""));

        Assert.Equal("options.password_complexity_options.min_length", Assert.Single(refused.Problems).Field);
        Assert.Null(await _world.Store.GetConnectionByNameAsync("min-text", default));
    }

    [Fact]
    public async Task Unknown_members_are_refused_in_auth0_words_together_with_every_type_problem()
    {
        var refused = await Assert.ThrowsAsync<AdminException>(() => CreateAsync("unknown", """{"colour":"red","requires_username":"yes","size":3}"""));

        Assert.Equal(["options.requires_username", "options"], refused.Problems.Select(p => p.Field));
        Assert.Equal("Payload validation error: 'options.requires_username must be a boolean; Additional properties not allowed: colour, size' on property options.",
            refused.Message);
        Assert.Null(await _world.Store.GetConnectionByNameAsync("unknown", default));
        Assert.Empty(_world.Writes());
    }
}
