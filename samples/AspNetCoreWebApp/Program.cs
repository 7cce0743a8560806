// A regular web app that signs its users in through Gatehouse with ASP.NET Core's own OpenID Connect handler:
// authorization code + PKCE, the answer as a form_post, tokens checked against Gatehouse's discovery document and
// JWKS, a cookie session in the app, and sign-out through Gatehouse's /v2/logout (Auth0's logout endpoint).
// Settings (appsettings.json, environment Gatehouse__Domain, or --Gatehouse:Domain=…): Domain (host[:port] of
// Gatehouse), ClientId, ClientSecret (a regular_web client whose callbacks hold https://{app}/callback and whose
// allowed_logout_urls hold https://{app}/), and TrustedCaFile (only for a Gatehouse on a dev certificate).
using Gatehouse.Samples.WebApp;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

var builder = WebApplication.CreateBuilder(args);
var gatehouse = builder.Configuration.GetSection("Gatehouse");
var domain = gatehouse["Domain"] is { Length: > 0 } d ? d : throw new InvalidOperationException("Set Gatehouse:Domain (host[:port] of Gatehouse).");

builder.Services.AddAuthentication(options =>
    {
        options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
    })
    .AddCookie()
    .AddOpenIdConnect(options =>
    {
        options.Authority = $"https://{domain}/";
        options.ClientId = gatehouse["ClientId"];
        options.ClientSecret = gatehouse["ClientSecret"];
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.ResponseMode = OpenIdConnectResponseMode.FormPost;
        options.UsePkce = true;
        options.CallbackPath = "/callback";
        options.Scope.Clear();
        options.Scope.Add("openid");
        options.Scope.Add("profile");
        options.Scope.Add("email");
        options.SaveTokens = true;
        options.GetClaimsFromUserInfoEndpoint = true;
        options.MapInboundClaims = false; // keep the JWT's claim names (sub, email, name)
        options.TokenValidationParameters.NameClaimType = "name";
        // Gatehouse has no end_session_endpoint: sign out at Auth0's /v2/logout, which returns to this app.
        options.Events.OnRedirectToIdentityProviderForSignOut = context =>
        {
            var returnTo = $"{context.Request.Scheme}://{context.Request.Host}/";
            context.Response.Redirect($"https://{domain}/v2/logout?client_id={Uri.EscapeDataString(options.ClientId!)}&returnTo={Uri.EscapeDataString(returnTo)}");
            context.HandleResponse();
            return Task.CompletedTask;
        };
        if (gatehouse["TrustedCaFile"] is { Length: > 0 } caFile)
            options.BackchannelHttpHandler = DevCertificateTrust.Handler(caFile);
    });
builder.Services.AddAuthorization();
builder.Services.AddAntiforgery();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapGet("/", (HttpContext context) => Pages.Home(context));
app.MapGet("/login", () => Results.Challenge(new AuthenticationProperties { RedirectUri = "/claims" }));
app.MapGet("/claims", (HttpContext context) => Pages.Claims(context)).RequireAuthorization();
app.MapPost("/logout", () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
        [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]))
    .WithMetadata(new RequireAntiforgeryTokenAttribute());

app.Run();
