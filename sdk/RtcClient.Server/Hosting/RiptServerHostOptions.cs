using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using RtcClient.Server.Auth;

namespace RtcClient.Server.Hosting;

/// <summary>How <see cref="RiptServerHost"/> runs the call server.</summary>
public sealed class RiptServerHostOptions
{
    /// <summary>UDP address for HTTP/3 (port 0 picks one).</summary>
    public IPEndPoint EndPoint { get; set; } = new(IPAddress.Loopback, 0);
    /// <summary>Server certificate; null makes a self-signed ECDSA P-256 one for localhost and the loopback addresses.</summary>
    public X509Certificate2? Certificate { get; set; }
    /// <summary>Bearer token validation.</summary>
    public required IRiptTokenValidator Tokens { get; set; }
    /// <summary>Server configuration (trunk groups, timers, limits).</summary>
    public Action<RiptServerOptions>? Configure { get; set; }
    /// <summary>
    /// A directory served as static files at the root (e.g. examples/Browser, the browser phone, so a
    /// page and the calls it makes share one origin); null serves none.
    /// </summary>
    public string? WebRoot { get; set; }
    /// <summary>Logging; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
