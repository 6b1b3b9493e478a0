using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Tls;
using static RtcClient.Quic.Tests.Tls.TlsHandshakeTests;

namespace RtcClient.Quic.Tests.Tls;

/// <summary>
/// Our TLS handshake against quic-go's qtls (Go's TLS 1.3 with the QUIC hooks), both roles, with the
/// handshake bytes exchanged directly (no QUIC packets). Both sides must derive identical secrets.
/// The peer is Interop/go/src/qtlspeer, built here from the Debian Go packages (GOPATH mode, offline).
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class QtlsInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static string? _peerPath;
    private string _workDir = "";

    [OneTimeSetUp]
    public void BuildPeer()
    {
        if (_peerPath is not null) return;
        var source = FindSourceRoot();
        var outDir = Path.Combine(Path.GetTempPath(), "rtcclient-qtlspeer");
        Directory.CreateDirectory(outDir);
        var binary = Path.Combine(outDir, "qtlspeer");
        var psi = new ProcessStartInfo("go", ["build", "-o", binary, "qtlspeer"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        psi.Environment["GO111MODULE"] = "off";
        psi.Environment["GOPATH"] = source + ":/usr/share/gocode";
        psi.Environment["GOPROXY"] = "off";
        psi.Environment["GOFLAGS"] = "";
        psi.Environment["GOCACHE"] = Path.Combine(outDir, "cache");
        Process build;
        try
        {
            build = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail("Go toolchain not found (native/install-deps.sh installs golang-go and golang-github-lucas-clemente-quic-go-dev, which brings qtls): " + e.Message);
            return;
        }
        using (build)
        {
            var stderr = build.StandardError.ReadToEndAsync();
            if (!build.WaitForExit(TimeSpan.FromMinutes(4)))
            {
                build.Kill();
                Assert.Fail("building qtlspeer timed out");
            }
            if (build.ExitCode != 0)
                Assert.Fail("building qtlspeer failed (qtls comes with golang-github-lucas-clemente-quic-go-dev from native/install-deps.sh): " + stderr.Result);
        }
        _peerPath = binary;
    }

    [SetUp]
    public void CreateWorkDir() => _workDir = Directory.CreateTempSubdirectory("qtls-").FullName;

    [TearDown]
    public void DeleteWorkDir() => Directory.Delete(_workDir, recursive: true);

    private static string FindSourceRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "RtcClient.Quic.Tests", "Tls", "Interop", "go");
            if (Directory.Exists(candidate)) return candidate;
        }
        Assert.Fail("qtlspeer sources not found above " + TestContext.CurrentContext.TestDirectory);
        return "";
    }

    [Test]
    public void Our_client_against_qtls_server(
        [Values] TlsCipherSuite suite,
        [Values] TlsNamedGroup group,
        [Values("ecdsa", "rsa")] string certificate)
    {
        var cert = TlsTestCertificates.Get(certificate);
        var result = RunOurClient(cert, b => { b.CipherSuites = [suite]; b.SupportedGroups = [group]; }, "x25519,p256");
        Assert.That(result.Ours.CipherSuite, Is.EqualTo(suite));
        Assert.That(result.Ours.NegotiatedGroup, Is.EqualTo(group));
        Assert.That(result.Ours.UsedHelloRetryRequest, Is.False);
        Assert.That(result.PeerMessages, Is.EqualTo(ServerFlight));
    }

    private static readonly TlsHandshakeType[] ServerFlight =
    [
        TlsHandshakeType.ServerHello, TlsHandshakeType.EncryptedExtensions, TlsHandshakeType.Certificate,
        TlsHandshakeType.CertificateVerify, TlsHandshakeType.Finished,
    ];

    [Test]
    public void Our_client_handles_a_qtls_hello_retry_request()
    {
        var result = RunOurClient(TlsTestCertificates.Ecdsa, b => b.SupportedGroups = [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1], "p256");
        Assert.That(result.Ours.UsedHelloRetryRequest, Is.True);
        Assert.That(result.Ours.NegotiatedGroup, Is.EqualTo(TlsNamedGroup.Secp256r1));
    }

    [Test]
    public void Our_client_answers_a_qtls_certificate_request_with_an_empty_certificate()
    {
        var result = RunOurClient(TlsTestCertificates.Ecdsa, _ => { }, "x25519,p256", requestClientCertificate: true);
        Assert.That(result.PeerMessages, Does.Contain(TlsHandshakeType.CertificateRequest));
        Assert.That(result.Ours.IsHandshakeComplete, Is.True);
    }

    [Test]
    public void Qtls_client_against_our_server(
        [Values] TlsCipherSuite suite,
        [Values] TlsNamedGroup group,
        [Values("ecdsa", "rsa")] string certificate)
    {
        var cert = TlsTestCertificates.Get(certificate);
        // qtls sends a key share for its first curve only; the server accepting just `group` forces a
        // HelloRetryRequest from our side whenever that is not X25519.
        var result = RunOurServer(cert, suite, [group], "x25519,p256");
        Assert.That(result.Ours.CipherSuite, Is.EqualTo(suite));
        Assert.That(result.Ours.NegotiatedGroup, Is.EqualTo(group));
        Assert.That(result.Ours.UsedHelloRetryRequest, Is.EqualTo(group != TlsNamedGroup.X25519));
    }

    private sealed record Result(TlsHandshake Ours, List<TlsHandshakeType> PeerMessages);

    private Result RunOurClient(X509Certificate2 cert, Action<TlsClientOptionsBuilder> configure, string peerCurves, bool requestClientCertificate = false)
    {
        var certFile = Path.Combine(_workDir, "cert.der");
        var keyFile = Path.Combine(_workDir, "key.der");
        File.WriteAllBytes(certFile, cert.RawData);
        using (var key = (AsymmetricAlgorithm?)cert.GetECDsaPrivateKey() ?? cert.GetRSAPrivateKey()!)
            File.WriteAllBytes(keyFile, key.ExportPkcs8PrivateKey());
        string[] args = ["server", certFile, keyFile, peerCurves, Convert.ToHexStringLower(ServerParameters)];
        if (requestClientCertificate) args = [.. args, "requestcert"];
        return Run(args,
            host => TlsHandshake.CreateClient(ClientOptions(cert, configure), ClientParameters, host),
            expectedPeerTransportParameters: ClientParameters, ourPeerTransportParameters: ServerParameters);
    }

    private Result RunOurServer(X509Certificate2 cert, TlsCipherSuite suite, IReadOnlyList<TlsNamedGroup> groups, string peerCurves)
    {
        var certFile = Path.Combine(_workDir, "root.der");
        File.WriteAllBytes(certFile, cert.RawData);
        var options = new TlsServerOptions { Certificate = cert, ApplicationProtocols = ["h3"], CipherSuites = [suite], SupportedGroups = groups };
        return Run(["client", "localhost", certFile, peerCurves, Convert.ToHexStringLower(ClientParameters)],
            host => TlsHandshake.CreateServer(options, ServerParameters, host),
            expectedPeerTransportParameters: ServerParameters, ourPeerTransportParameters: ClientParameters);
    }

    private static Result Run(string[] args, Func<ITlsHandshakeHost, TlsHandshake> create, byte[] expectedPeerTransportParameters, byte[] ourPeerTransportParameters)
    {
        var psi = new ProcessStartInfo(_peerPath!, args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var peer = Process.Start(psi)!;
        var lines = new BlockingCollection<string>();
        var stderr = peer.StandardError.ReadToEndAsync();
        var reader = Task.Run(() =>
        {
            while (peer.StandardOutput.ReadLine() is { } line) lines.Add(line);
            lines.CompleteAdding();
        });
        try
        {
            var host = new PipeHost(peer.StandardInput);
            var ours = create(host);
            ours.Start();
            var peerRead = new Dictionary<int, string>();
            var peerWrite = new Dictionary<int, string>();
            string[]? done = null;
            var peerStreams = new Dictionary<int, List<byte>>();
            var clock = Stopwatch.StartNew();
            while (!(ours.IsHandshakeComplete && done is not null))
            {
                var remaining = Timeout - clock.Elapsed;
                string? line = null;
                if (remaining <= TimeSpan.Zero || !lines.TryTake(out line, remaining))
                    Assert.Fail($"handshake with qtlspeer did not finish (ours complete: {ours.IsHandshakeComplete}); peer stderr: {(stderr.IsCompleted ? stderr.Result : "")}");
                var f = line!.Split(' ');
                switch (f[0])
                {
                    case "DATA":
                        var bytes = Convert.FromHexString(f[2]);
                        if (!peerStreams.TryGetValue(int.Parse(f[1]), out var stream)) peerStreams[int.Parse(f[1])] = stream = [];
                        stream.AddRange(bytes);
                        ours.ProcessCryptoData((EncryptionLevel)int.Parse(f[1]), bytes);
                        break;
                    case "RSECRET":
                        peerRead[int.Parse(f[1])] = f[3];
                        break;
                    case "WSECRET":
                        peerWrite[int.Parse(f[1])] = f[3];
                        break;
                    case "DONE":
                        done = f;
                        break;
                    default:
                        Assert.Fail("qtlspeer: " + line);
                        break;
                }
            }

            Assert.Multiple(() =>
            {
                foreach (var level in new[] { EncryptionLevel.Handshake, EncryptionLevel.Application })
                {
                    Assert.That(Convert.ToHexStringLower(host.Read[level]), Is.EqualTo(peerWrite[(int)level]), $"peer write = our read at {level}");
                    Assert.That(Convert.ToHexStringLower(host.Write[level]), Is.EqualTo(peerRead[(int)level]), $"peer read = our write at {level}");
                }
                Assert.That(done![1], Is.EqualTo("h3"));
                Assert.That(ours.NegotiatedApplicationProtocol, Is.EqualTo("h3"));
                Assert.That(done[2], Is.EqualTo(Convert.ToHexStringLower(expectedPeerTransportParameters)), "qtls received our transport parameters");
                Assert.That(ours.PeerTransportParameters.ToArray(), Is.EqualTo(ourPeerTransportParameters), "we received qtls's transport parameters");
                Assert.That(done[3], Is.EqualTo(((ushort)ours.CipherSuite).ToString("x4")));
            });
            var types = new List<TlsHandshakeType>();
            foreach (var stream in peerStreams.OrderBy(p => p.Key).Select(p => p.Value))
                for (int at = 0; at + 4 <= stream.Count; at += 4 + (stream[at + 1] << 16 | stream[at + 2] << 8 | stream[at + 3]))
                    types.Add((TlsHandshakeType)stream[at]);
            return new Result(ours, types);
        }
        finally
        {
            if (!peer.HasExited) peer.Kill();
            peer.WaitForExit(5000);
            reader.Wait(5000);
        }
    }

    private sealed class PipeHost(StreamWriter stdin) : ITlsHandshakeHost
    {
        public Dictionary<EncryptionLevel, byte[]> Read { get; } = [];
        public Dictionary<EncryptionLevel, byte[]> Write { get; } = [];

        public void WriteCryptoData(EncryptionLevel level, ReadOnlySpan<byte> data)
        {
            stdin.Write($"DATA {(int)level} {Convert.ToHexStringLower(data)}\n");
            stdin.Flush();
        }

        public void SetReadSecret(EncryptionLevel level, TlsCipherSuite suite, ReadOnlySpan<byte> secret) => Read[level] = secret.ToArray();

        public void SetWriteSecret(EncryptionLevel level, TlsCipherSuite suite, ReadOnlySpan<byte> secret) => Write[level] = secret.ToArray();
    }
}
