using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using RtcClient.Http3.AspNetCore;
using RtcClient.Server.Applications;
using RtcClient.Server.Calls;
using RtcClient.Server.Media;

namespace RtcClient.Server.Hosting;

/// <summary>
/// The call server as a ready-to-run ASP.NET Core application on the SDK's own HTTP/3 server: for
/// embedding (demos, tests, an IVR that hosts its own server) and as the reference for deployments.
/// </summary>
public sealed class RiptServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RiptServerHost(WebApplication app, Uri uri, X509Certificate2 certificate)
    {
        _app = app;
        Uri = uri;
        Certificate = certificate;
    }

    /// <summary>The server's base URI (https, the bound UDP port).</summary>
    public Uri Uri { get; }

    /// <summary>The server certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 of the certificate, for clients that pin it (a self-signed certificate has no chain).</summary>
    public byte[] CertificateSha256 => SHA256.HashData(Certificate.RawData);

    /// <summary>The application's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The call registry.</summary>
    public CallRegistry Registry => _app.Services.GetRequiredService<CallRegistry>();

    /// <summary>The media relay.</summary>
    public MediaRelay Relay => _app.Services.GetRequiredService<MediaRelay>();

    /// <summary>The in-process applications (docs/protocol.md section 6.8).</summary>
    public RiptApplications Applications => _app.Services.GetRequiredService<RiptApplications>();

    /// <summary>
    /// Registers an application in this server's process under <paramref name="name"/>: calls to that name run
    /// <paramref name="onCall"/> with no network hop for the application's leg. Returns the application's
    /// endpoint, with which it can also place calls. See <see cref="RiptApplications.RegisterAsync"/>.
    /// </summary>
    public Task<CallClient> RegisterApplicationAsync(string name, ApplicationCallHandler onCall, CancellationToken cancellationToken = default)
        => Applications.RegisterAsync(name, onCall, null, cancellationToken);

    /// <summary>
    /// Moves every call off this instance before it stops (docs/protocol.md section 6.7): new calls are refused
    /// (503), each live call is handed to <paramref name="target"/> (another instance sharing the call store),
    /// and the method returns once the target has taken them over or <paramref name="timeout"/> passed.
    /// </summary>
    public Task<DrainResult> DrainAsync(Uri target, TimeSpan timeout, CancellationToken cancellationToken = default)
        => Registry.DrainAsync(target, timeout, cancellationToken);

    /// <summary>Builds and starts the server.</summary>
    public static async Task<RiptServerHost> StartAsync(RiptServerHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var certificate = options.Certificate ?? CreateSelfSignedCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (options.LoggerFactory is not null) builder.Services.AddSingleton(options.LoggerFactory);
        builder.WebHost.UseRtcHttp3(h =>
        {
            h.EndPoints.Add(options.EndPoint);
            h.ServerCertificate = certificate;
            // Every call of a client has its media session on that client's one connection.
            h.Http3.MaxWebTransportSessions = 128;
            // Each call takes two of its client's streams (events, media session) plus requests: the QUIC
            // default of 100 would cap a client at about 49 calls, below the trunk group's 100.
            h.ConfigureQuic = q => q.MaxInboundBidirectionalStreams = 512;
        });
        builder.Services.AddRipt(options.Tokens, options.Configure);
        var app = builder.Build();
        if (options.WebRoot is not null)
        {
            var files = new PhysicalFileProvider(Path.GetFullPath(options.WebRoot));
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRipt();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!;
        var uri = new Uri(addresses.Addresses.First());
        var registry = app.Services.GetRequiredService<CallRegistry>();
        // Calls handed to this instance name it by this origin (section 6.7).
        registry.InstanceUri ??= uri;
        return new RiptServerHost(app, uri, certificate);
    }

    /// <summary>A self-signed ECDSA P-256 certificate for localhost, 127.0.0.1 and ::1, valid for 14 days.</summary>
    public static X509Certificate2 CreateSelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        // WebTransport's serverCertificateHashes accept at most 14 days of validity.
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(13));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
