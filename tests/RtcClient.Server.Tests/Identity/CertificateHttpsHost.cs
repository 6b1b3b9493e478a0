using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RtcClient.Server.Hosting;

namespace RtcClient.Server.Tests.Identity;

/// <summary>An HTTPS certificate repository on loopback (Kestrel, self-signed), counting requests per path.</summary>
internal sealed class CertificateHttpsHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, int> _hits = new(StringComparer.Ordinal);

    private CertificateHttpsHost(WebApplication app, Uri baseUri, X509Certificate2 certificate)
    {
        _app = app;
        BaseUri = baseUri;
        Certificate = certificate;
    }

    public Uri BaseUri { get; }

    public X509Certificate2 Certificate { get; }

    public int Hits(string path)
    {
        lock (_hits)
            return _hits.GetValueOrDefault(path);
    }

    public static async Task<CertificateHttpsHost> StartAsync(IReadOnlyDictionary<string, string> files)
    {
        var certificate = RiptServerHost.CreateSelfSignedCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
        var app = builder.Build();
        CertificateHttpsHost? host = null;
        app.MapGet("/{name}", (string name) =>
        {
            lock (host!._hits)
                host._hits[name] = host._hits.GetValueOrDefault(name) + 1;
            return files.TryGetValue(name, out var body) ? Results.Text(body, "application/pem-certificate-chain") : Results.NotFound();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host = new CertificateHttpsHost(app, new Uri(address), certificate);
        return host;
    }

    /// <summary>An HTTP stack that trusts exactly this host's self-signed certificate.</summary>
    public HttpMessageHandler TrustingHandler()
    {
        string pinned = Certificate.GetCertHashString(HashAlgorithmName.SHA256);
        return new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetCertHashString(HashAlgorithmName.SHA256) == pinned },
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
