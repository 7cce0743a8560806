using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddictPeer;
using static OpenIddict.Abstractions.OpenIddictConstants;

// A minimal OpenIddict password-grant server, configured the way OpenIddict's documentation and samples do it:
// EF Core stores (SQLite here) with token and authorization storage left on, a registered public client, the token
// endpoint in pass-through mode handled by our own endpoint. Access tokens are JWS (encryption off) so both tokens
// are RS256 signatures with a 2048-bit key, exactly like Gatehouse's.
// usage: OpenIddictPeer --urls http://127.0.0.1:PORT --upstream http://127.0.0.1:EMULATOR/ --data-dir DIR
var builder = WebApplication.CreateBuilder(args);
var upstream = new Uri(builder.Configuration["upstream"] ?? throw new InvalidOperationException("--upstream is required"));
var dataDir = builder.Configuration["data-dir"] ?? Path.GetTempPath();
Directory.CreateDirectory(dataDir);

builder.Services.AddDbContext<PeerDbContext>(options =>
{
    options.UseSqlite($"Data Source={Path.Combine(dataDir, "peer.db")};Pooling=true");
    options.AddInterceptors(new SqlitePragmas());
    options.UseOpenIddict();
});

builder.Services.AddOpenIddict()
    .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<PeerDbContext>())
    .AddServer(options =>
    {
        options.SetTokenEndpointUris("connect/token");
        options.AllowPasswordFlow();
        options.RegisterScopes(Scopes.Email, Scopes.Profile);
        options.AddSigningKey(new RsaSecurityKey(RSA.Create(2048)));
        options.AddEphemeralEncryptionKey();
        options.DisableAccessTokenEncryption();
        options.UseAspNetCore()
            .EnableTokenEndpointPassthrough()
            .DisableTransportSecurityRequirement(); // loopback HTTP, as Gatehouse is measured
    });

builder.Services.AddSingleton(new UpstreamOptions(upstream));
builder.Services.AddHttpClient<UpstreamClient>();
builder.Services.AddHostedService<PeerSeeder>();

var app = builder.Build();
app.MapPost("/connect/token", TokenEndpoint.HandleAsync);
app.MapGet("/health", () => Results.Ok());
await app.RunAsync();
