using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Http3;

namespace RtcClient.Interop.Endpoint;

/// <summary>
/// The `http3` client: downloads every URL in REQUESTS into DOWNLOADS over one HTTP/3 connection, all requests in
/// parallel. The server certificate is pinned from CERTS/cert.pem: validation is never skipped.
/// </summary>
internal static class Http3InteropClient
{
    public static async Task<int> RunAsync(EndpointSettings settings, CancellationToken ct)
    {
        if (settings.Requests.Count == 0) throw new InvalidOperationException("REQUESTS is empty");
        var pinPath = Path.Combine(settings.Certs, "cert.pem");
        if (!File.Exists(pinPath)) throw new InvalidOperationException($"the client pins the server certificate: {pinPath} is missing (set CERTS)");
        using var pinned = X509Certificate2.CreateFromPem(File.ReadAllText(pinPath));
        Directory.CreateDirectory(settings.Downloads);
        var options = new Http3ClientOptions
        {
            PinnedCertificateSha256 = [SHA256.HashData(pinned.RawData)],
            ConfigureQuic = q =>
            {
                q.KeyLogPath = settings.KeyLogFile;
                q.QlogDirectory = settings.QlogDir ?? "";
            },
        };
        await using var connection = await Http3ClientConnection.ConnectAsync(settings.Requests[0], options, ct);
        Console.WriteLine($"connected to {settings.Requests[0].Authority} over h3");
        await Task.WhenAll(settings.Requests.Select(r => DownloadAsync(connection, r, settings.Downloads, ct)));
        await connection.ShutdownAsync(ct);
        return 0;
    }

    private static async Task DownloadAsync(Http3ClientConnection connection, Uri request, string downloads, CancellationToken ct)
    {
        using var response = await connection.SendAsync(new HttpRequestMessage(HttpMethod.Get, request), ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{request}: status {(int)response.StatusCode}");
        var target = Path.Combine(downloads, Path.GetFileName(request.AbsolutePath));
        await using (var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await body.CopyToAsync(file, 1 << 16, ct);
        }

        Console.WriteLine($"downloaded {request.AbsolutePath}: {new FileInfo(target).Length} bytes");
    }
}
