using System.Security.Cryptography.X509Certificates;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using RtcClient.Http3.Tests.Loopback;

namespace RtcClient.Http3.Tests.Interop;

/// <summary>Test files (1 KB, 1 MB, 10 MB), PEM copies of the test certificate, and the peer binaries' locations.</summary>
internal sealed class InteropFiles : IDisposable
{
    public static readonly (string Name, int Size)[] Files = [("1k.bin", 1024), ("1m.bin", 1 << 20), ("10m.bin", 10 << 20)];

    public InteropFiles()
    {
        Root = Directory.CreateTempSubdirectory("rtc-h3-interop-").FullName;
        Www = Directory.CreateDirectory(Path.Combine(Root, "www")).FullName;
        Downloads = Directory.CreateDirectory(Path.Combine(Root, "downloads")).FullName;
        var rng = new Random(3);
        foreach (var (name, size) in Files)
        {
            var data = new byte[size];
            rng.NextBytes(data);
            File.WriteAllBytes(Path.Combine(Www, name), data);
        }

        CertPath = Path.Combine(Root, "ec.crt");
        KeyPath = Path.Combine(Root, "ec.key");
        File.WriteAllText(CertPath, TestCertificate.Certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, TestCertificate.Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public string Root { get; }
    public string Www { get; }
    public string Downloads { get; }
    public string CertPath { get; }
    public string KeyPath { get; }

    public static string Sha256Of(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    public string ExpectedSha256(string name) => Sha256Of(Path.Combine(Www, name));

    /// <summary>A UDP port free right now on 127.0.0.1.</summary>
    public static int FreeUdpPort()
    {
        using var s = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.Client.LocalEndPoint!).Port;
    }

    /// <summary>Where setup.sh put the quic-go peers (INTEROP_BIN, ~/.cache/rtc-interop, artifacts/interop-bin).</summary>
    public static string GoPeer(string name)
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("INTEROP_BIN") is { } bin)
            candidates.Add(Path.Combine(bin, name));
        candidates.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "rtc-interop", name));
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null)
        {
            candidates.Add(Path.Combine(dir.FullName, "artifacts", "interop-bin", name));
            dir = dir.Parent;
        }

        candidates.Add(Path.Combine("/work/main/artifacts/interop-bin", name));
        return candidates.FirstOrDefault(File.Exists) ?? name;
    }

    /// <summary>Serves the files of <paramref name="www"/> in 64 KB DATA frames.</summary>
    public static async Task ServeFileAsync(Http3RequestContext ctx, string www)
    {
        string file = Path.Combine(www, Path.GetFileName(ctx.Path.Split('?')[0]));
        if (!File.Exists(file))
        {
            ctx.StatusCode = 404;
            return;
        }

        await using var f = File.OpenRead(file);
        ctx.ResponseHeaders.Add(new("content-length", f.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // A pooled buffer no larger than the file: the harness should not cost more per request than the server does.
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Clamp(f.Length, 1, 64 * 1024));
        try
        {
            int n;
            while ((n = await f.ReadAsync(buffer)) > 0)
                await ctx.ResponseBody.WriteAsync(buffer.AsMemory(0, n));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
