using System.Net;

namespace RtcClient.Interop.Endpoint;

/// <summary>The QUIC Interop Runner's environment variables.</summary>
internal sealed record EndpointSettings
{
    /// <summary>Test cases this endpoint runs; the runner expects 127 for the rest.</summary>
    public static readonly IReadOnlySet<string> SupportedTestCases = new HashSet<string>(StringComparer.Ordinal)
    {
        "handshake", "transfer", "chacha20", "keyupdate", "multiconnect", "http3",
    };

    public required string Role { get; init; }
    public required string TestCase { get; init; }
    public required IReadOnlyList<Uri> Requests { get; init; }
    public required string Www { get; init; }
    public required string Downloads { get; init; }
    public required string Certs { get; init; }
    public required int Port { get; init; }
    public required IPAddress BindAddress { get; init; }
    public string? KeyLogFile { get; init; }
    public string? QlogDir { get; init; }

    public bool IsSupported => SupportedTestCases.Contains(TestCase);

    public static EndpointSettings FromEnvironment()
    {
        static string Get(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;
        return new EndpointSettings
        {
            Role = Get("ROLE", ""),
            TestCase = Get("TESTCASE", ""),
            Requests = [.. Get("REQUESTS", "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u))],
            Www = Get("WWW", "/www"),
            Downloads = Get("DOWNLOADS", "/downloads"),
            Certs = Get("CERTS", "/certs"),
            Port = int.Parse(Get("PORT", "443"), System.Globalization.CultureInfo.InvariantCulture),
            // Loopback unless told otherwise: this endpoint is meant for tests on one machine.
            BindAddress = IPAddress.Parse(Get("BIND", "127.0.0.1")),
            KeyLogFile = Environment.GetEnvironmentVariable("SSLKEYLOGFILE"),
            QlogDir = Environment.GetEnvironmentVariable("QLOGDIR"),
        };
    }
}
