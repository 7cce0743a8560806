using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Connections.Upstream;

namespace Gatehouse.AzureAd.Tests;

/// <summary>Upstream TLS against a real loopback TLS server: trusted only through a configured anchor, never blindly.</summary>
public sealed class TlsTests
{
    private static X509Certificate2 SelfSigned(string dns)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={dns}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dns);
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Answers every connection with one HTTP/1.1 200 over TLS.</summary>
    private static async Task ServeAsync(TcpListener listener, X509Certificate2 cert, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var client = await listener.AcceptTcpClientAsync(ct);
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(cert);
                var buffer = new byte[4096];
                _ = await tls.ReadAsync(buffer, ct);
                await tls.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"), ct);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                // the client refused our certificate: that is what some tests expect
            }
        }
    }

    private static async Task<bool> Reaches(string host, X509Certificate2 serverCert, X509Certificate2[] anchors)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var cts = new CancellationTokenSource();
        var server = ServeAsync(listener, serverCert, cts.Token);
        try
        {
            using var http = new HttpClient(UpstreamHandler.Create(anchors));
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            try
            {
                using var response = await http.GetAsync(new Uri($"https://{host}:{port}/"));
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }
        finally
        {
            await cts.CancelAsync();
            listener.Stop();
            try
            {
                await server;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // the listener was stopped under a pending accept
            }
        }
    }

    [Fact]
    public async Task A_self_signed_upstream_is_refused_without_an_anchor_and_trusted_with_it()
    {
        using var cert = SelfSigned("localhost");
        Assert.False(await Reaches("127.0.0.1", cert, []));
        Assert.True(await Reaches("127.0.0.1", cert, [cert]));
    }

    [Fact]
    public async Task A_trusted_certificate_for_another_name_is_refused()
    {
        using var cert = SelfSigned("login.example");
        using var other = SelfSigned("localhost");
        Assert.False(await Reaches("localhost", cert, [cert, other]));
    }

    [Fact]
    public void An_anchor_only_cures_chain_errors()
    {
        using var cert = SelfSigned("localhost");
        Assert.True(UpstreamHandler.IsTrusted(cert, null, SslPolicyErrors.None, []));
        Assert.False(UpstreamHandler.IsTrusted(cert, null, SslPolicyErrors.RemoteCertificateChainErrors, []));
        Assert.True(UpstreamHandler.IsTrusted(cert, null, SslPolicyErrors.RemoteCertificateChainErrors, [cert]));
        Assert.False(UpstreamHandler.IsTrusted(cert, null, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors, [cert]));
        Assert.False(UpstreamHandler.IsTrusted(null, null, SslPolicyErrors.RemoteCertificateNotAvailable, [cert]));
    }
}
