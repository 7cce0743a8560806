using System.Collections.Concurrent;
using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Tests.BrowserSignIn;

/// <summary>
/// A test-only strategy <c>fake-idp</c> whose connections sign users in at a pretend provider page (IRedirectConnection)
/// and also by password (IPasswordConnection), both answering the same identity for a user name: what proves the
/// browser path and the password path give one user_id. The provider "page" is never fetched: the test reads the
/// state from the redirect and calls /login/callback itself with <c>user=</c> (who signed in) or <c>error=</c>.
/// </summary>
internal sealed class FakeIdentityProviderStrategy : IConnectionStrategy
{
    public const string Name = "fake-idp";
    public const string ProviderHost = "https://idp.invalid/authorize";

    /// <summary>Every start Gatehouse asked for, by state: CompleteAsync checks Gatehouse hands the same one back.</summary>
    public ConcurrentDictionary<string, RedirectSignInStart> Starts { get; } = new(StringComparer.Ordinal);

    public string Strategy => Name;

    public IReadOnlyList<OptionProblem> Validate(JsonElement options) => [];

    public IConnection Create(Connection definition) => new FakeConnection(definition, this);

    private sealed class FakeConnection(Connection definition, FakeIdentityProviderStrategy provider) : IRedirectConnection, IPasswordConnection
    {
        public Connection Definition => definition;

        public IReadOnlyCollection<string> HomeRealmDomains => ["fake.example"];

        public Task<Uri> BeginAsync(RedirectSignInStart start, CancellationToken ct)
        {
            provider.Starts[start.State] = start;
            return Task.FromResult(new Uri($"{ProviderHost}?state={Uri.EscapeDataString(start.State)}&nonce={Uri.EscapeDataString(start.Nonce)}"
                + $"&redirect_uri={Uri.EscapeDataString(start.CallbackUri.AbsoluteUri)}&prompt={start.Prompt}"));
        }

        public Task<RedirectSignInResult> CompleteAsync(IReadOnlyDictionary<string, string> callback, RedirectSignInStart start, CancellationToken ct)
        {
            // Gatehouse hands back what it kept server side (the context is the callback request's own).
            Assert.Equal(provider.Starts[start.State], start with { Context = provider.Starts[start.State].Context });
            if (callback.TryGetValue("error", out var error))
                return Task.FromResult<RedirectSignInResult>(new RedirectSignInResult.Denied("access_denied", callback.GetValueOrDefault("error_description", error), "FAKE" + error));
            return Task.FromResult<RedirectSignInResult>(new RedirectSignInResult.Authenticated(Identity(callback["user"])));
        }

        public Task<PasswordLoginResult> LoginAsync(string username, string password, LoginContext context, CancellationToken ct) =>
            Task.FromResult<PasswordLoginResult>(password == "fake-password"
                ? new PasswordLoginResult.Authenticated(Identity(username))
                : new PasswordLoginResult.InvalidCredentials(false, null, "wrong fake password"));

        private static UpstreamIdentity Identity(string user) => new(
            "fake", "id-" + user, "key/" + user, user + "@fake.example", true, "User " + user, null, null, user,
            JsonSerializer.SerializeToElement(new { }), UpstreamTokens.None, RootAttributesPolicy.OnEachLogin);
    }
}
