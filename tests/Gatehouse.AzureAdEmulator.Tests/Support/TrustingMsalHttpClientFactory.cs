using Microsoft.Identity.Client;

namespace Gatehouse.AzureAd.Emulator.Tests.Support;

/// <summary>Gives MSAL an HttpClient that trusts exactly the emulator's CA.</summary>
public sealed class TrustingMsalHttpClientFactory(AzureAdEmulator emulator) : IMsalHttpClientFactory
{
    private readonly HttpClient _client = new(emulator.CreateTrustingHandler());

    public HttpClient GetHttpClient() => _client;
}
