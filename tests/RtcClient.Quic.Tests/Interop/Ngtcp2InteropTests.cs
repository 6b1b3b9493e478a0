using System.Net;

namespace RtcClient.Quic.Tests.Interop;

/// <summary>
/// Our client against ngtcp2's gtlsserver and gtlsclient against our server, ALPN h3: the handshake
/// completes, each side receives the other's first unidirectional stream (the HTTP/3 control stream:
/// type 0x00 then a SETTINGS frame, type 0x04), and the connection closes cleanly with H3_NO_ERROR.
/// </summary>
[Category("Interop")]
[NonParallelizable]
[CancelAfter(60_000)]
public class Ngtcp2InteropTests
{
    private const long H3NoError = 0x100;
    // Control stream type 0x00, then SETTINGS (type 0x04) with an empty payload.
    private static readonly byte[] ControlStreamPreface = [0x00, 0x04, 0x00];
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(30);

    private string _workDir = "";

    [SetUp]
    public void CreateWorkDir() => _workDir = Directory.CreateTempSubdirectory("ngtcp2-").FullName;

    [TearDown]
    public void DeleteWorkDir() => Directory.Delete(_workDir, recursive: true);

    [Test]
    public async Task Our_client_against_ngtcp2_server(CancellationToken ct)
    {
        var gtlsserver = InteropPeerProcess.RequireOnPath("gtlsserver");
        var cert = InteropCertificate.WriteTo(_workDir);
        var www = Directory.CreateDirectory(Path.Combine(_workDir, "www")).FullName;
        int port = InteropPeerProcess.FreeUdpPort();
        using var server = InteropPeerProcess.Start(gtlsserver, ["-d", www, "127.0.0.1", port.ToString(), cert.KeyPath, cert.CertificatePath]);

        await using var connection = await QuicConnection.ConnectAsync(new QuicClientConnectionOptions
        {
            RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, port),
            ServerName = "localhost",
            ApplicationProtocols = ["h3"],
            PinnedCertificateSha256 = [cert.Sha256],
            KeyLogPath = "",
        }, ct);
        Assert.That(connection.NegotiatedApplicationProtocol, Is.EqualTo("h3"));

        await using var control = await connection.OpenOutboundStreamAsync(QuicStreamType.Unidirectional, ct);
        await control.WriteAsync(ControlStreamPreface, ct);
        var first = await ReadFirstUnidirectionalStreamAsync(connection, ct);
        Assert.That(first.Id, Is.EqualTo(3), "the server's first unidirectional stream");
        Assert.That(first.Bytes, Is.EqualTo(new byte[] { 0x00, 0x04 }), "control stream type and SETTINGS frame type from ngtcp2");
        // ngtcp2's frame dump shows our control stream (client uni stream 2) arriving.
        await server.WaitForOutputAsync("stream_id=0x2", PeerTimeout, ct);
        foreach (var line in server.Output.Split('\n').Where(l => l.Contains("stream_id=0x2", StringComparison.Ordinal)))
            TestContext.Out.WriteLine(line);

        await connection.CloseAsync(H3NoError, ct);
        await connection.Closed.WaitAsync(PeerTimeout, ct);
        Assert.That(server.HasExited, Is.False, "gtlsserver crashed:\n" + server.Output);
        // ngtcp2 logs receiving our application close with H3_NO_ERROR.
        await server.WaitForOutputAsync("CONNECTION_CLOSE(0x1d) error_code=(unknown)(0x100)", PeerTimeout, ct);
    }

    [Test]
    public async Task Ngtcp2_client_against_our_server(CancellationToken ct)
    {
        var gtlsclient = InteropPeerProcess.RequireOnPath("gtlsclient");
        var cert = InteropCertificate.WriteTo(_workDir);
        await using var listener = await QuicListener.ListenAsync(new QuicListenerOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            ApplicationProtocols = ["h3"],
            ConnectionOptions = new QuicServerConnectionOptions { ApplicationProtocols = ["h3"], ServerCertificate = cert.Certificate, KeyLogPath = "" },
        }, ct);
        int port = listener.LocalEndPoint.Port;
        var downloads = Directory.CreateDirectory(Path.Combine(_workDir, "dl")).FullName;
        using var client = InteropPeerProcess.Start(gtlsclient,
            ["--exit-on-all-streams-close", $"--download={downloads}", "--handshake-timeout=10s", "127.0.0.1", port.ToString(), $"https://localhost:{port}/index.html"]);

        await using var connection = await listener.AcceptConnectionAsync(ct);
        Assert.That(connection.NegotiatedApplicationProtocol, Is.EqualTo("h3"));
        await using var control = await connection.OpenOutboundStreamAsync(QuicStreamType.Unidirectional, ct);
        await control.WriteAsync(ControlStreamPreface, ct);

        // The client's first unidirectional stream (2) and its request (bidi stream 0) arrive in any order.
        (long Id, byte[] Bytes)? firstUni = null;
        QuicStream? request = null;
        for (int i = 0; i < 8 && (firstUni is null || request is null); i++)
        {
            var stream = await connection.AcceptInboundStreamAsync(ct);
            if (stream.Type == QuicStreamType.Bidirectional) request ??= stream;
            else if (stream.Id == 2) firstUni = (stream.Id, await ReadAtLeastAsync(stream, 2, ct));
        }
        Assert.That(firstUni, Is.Not.Null, "ngtcp2's first unidirectional stream never arrived");
        Assert.That(firstUni!.Value.Bytes, Is.EqualTo(new byte[] { 0x00, 0x04 }), "control stream type and SETTINGS frame type from ngtcp2");
        Assert.That(request, Is.Not.Null, "ngtcp2's request stream never arrived");

        // Answer with HEADERS(:status 200) and no body so the client's stream ends and it closes.
        // QPACK: required insert count 0, base 0, indexed static field 25 (:status 200) = 0xd9.
        await request!.WriteAsync(new byte[] { 0x01, 0x03, 0x00, 0x00, 0xd9 }, completeWrites: true, ct);

        await client.WaitForExitAsync(PeerTimeout, ct);
        var output = client.Output;
        foreach (var line in output.Split('\n').Where(l => l.Contains("stream_id=0x3", StringComparison.Ordinal) || l.Contains("CONNECTION_CLOSE", StringComparison.Ordinal)))
            TestContext.Out.WriteLine(line);
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("Negotiated ALPN is h3"), output);
            // ngtcp2's dump of our control stream, server uni stream 3.
            Assert.That(output, Does.Contain("stream_id=0x3"), output);
            Assert.That(output, Does.Contain(":status: 200"), output);
        });
        await connection.Closed.WaitAsync(PeerTimeout, ct);
        Assert.That(connection.CloseError?.ApplicationErrorCode, Is.EqualTo(H3NoError), "close code from ngtcp2: " + connection.CloseError?.Message);
        await request.DisposeAsync();
    }

    private static async Task<(long Id, byte[] Bytes)> ReadFirstUnidirectionalStreamAsync(QuicConnection connection, CancellationToken ct)
    {
        var stream = await connection.AcceptInboundStreamAsync(ct);
        Assert.That(stream.Type, Is.EqualTo(QuicStreamType.Unidirectional));
        return (stream.Id, await ReadAtLeastAsync(stream, 2, ct));
    }

    private static async Task<byte[]> ReadAtLeastAsync(QuicStream stream, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        int read = await stream.ReadAtLeastAsync(buffer, count, throwOnEndOfStream: false, ct);
        return buffer[..read];
    }
}
