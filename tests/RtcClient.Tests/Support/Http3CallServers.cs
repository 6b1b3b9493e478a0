using System.Security.Cryptography.X509Certificates;
using RtcClient.Server.Auth;
using RtcClient.Server.Hosting;

namespace RtcClient.Tests.Support;

/// <summary>Call servers on the SDK's own HTTP/3 over loopback UDP, with a token per user ("&lt;name&gt;-token").</summary>
internal static class Http3CallServers
{
    private static readonly string[] Users = ["alice", "bob", "carol"];

    /// <summary>Starts a server; instances that must share clients pass one <paramref name="certificate"/>.</summary>
    public static Task<RiptServerHost> StartAsync(Action<RiptServerOptions>? configure = null, X509Certificate2? certificate = null, CancellationToken cancellationToken = default)
        => RiptServerHost.StartAsync(new RiptServerHostOptions
        {
            Tokens = new StaticTokenValidator(Users.ToDictionary(u => u + "-token", u => u)),
            Certificate = certificate,
            Configure = o =>
            {
                o.TimerResolution = TimeSpan.FromMilliseconds(20);
                configure?.Invoke(o);
            },
        }, cancellationToken);

    /// <summary>Connects <paramref name="name"/> over HTTP/3 (media on WebTransport), pinning the server's certificate.</summary>
    public static Task<CallClient> ConnectAsync(RiptServerHost server, string name, Action<RtcClientOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var options = new RtcClientOptions
        {
            ServerUri = server.Uri, Token = name + "-token", Name = name, PinnedCertificateSha256 = [server.CertificateSha256],
            // Short, so that unregistering from a server a test has stopped does not hold the test up.
            RequestTimeout = TimeSpan.FromSeconds(3),
        };
        configure?.Invoke(options);
        return CallClient.ConnectAsync(options, cancellationToken);
    }

    /// <summary>A trunk group "default" with the given timers (the others keep their defaults).</summary>
    public static TrunkGroupOptions TrunkGroup(TimeSpan? noAnswer = null, TimeSpan? signaling = null, TimeSpan? media = null) => new()
    {
        Id = "default",
        NoAnswerTimeout = noAnswer ?? TimeSpan.FromSeconds(60),
        SignalingTimeout = signaling ?? TimeSpan.FromSeconds(30),
        MediaTimeout = media ?? TimeSpan.FromSeconds(5),
    };
}
