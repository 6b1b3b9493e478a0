using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Http3.Tests.Interop;

/// <summary>An interop peer started by a test: output captured line by line, stopped by PID.</summary>
internal sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private PeerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IEnumerable<string> Lines => _lines;

    public Process Process => _process;

    public static PeerProcess Start(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        string? path = Which(program);
        if (path is null)
            Assert.Fail($"interop peer '{program}' is not installed (native/install-deps.sh installs it)");
        var psi = new ProcessStartInfo(path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments)
            psi.ArgumentList.Add(a);
        if (environment is not null)
        {
            foreach (var kv in environment)
                psi.Environment[kv.Key] = kv.Value;
        }

        return new PeerProcess(Process.Start(psi)!);
    }

    /// <summary>
    /// Headless Chromium opening <paramref name="url"/>, with QUIC forced on the loopback origin at
    /// <paramref name="port"/> and <paramref name="certificate"/> (self-signed) trusted by its key.
    /// </summary>
    public static PeerProcess StartChromium(int port, X509Certificate2 certificate, string url, params string[] extraArguments)
    {
        string spki = Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        string profile = Directory.CreateTempSubdirectory("rtc-chromium-").FullName;
        return Start("chromium",
        [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
            "--origin-to-force-quic-on=127.0.0.1:" + port, "--ignore-certificate-errors-spki-list=" + spki,
            "--enable-logging=stderr", "--v=0", .. extraArguments, url,
        ]);
    }

    /// <summary>Waits (bounded) for a line matching the predicate.</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var l in _lines)
            {
                if (match(l))
                    return l;
            }

            if (_process.HasExited)
            {
                await Task.Delay(200);
                return _lines.FirstOrDefault(match);
            }

            await Task.Delay(100);
        }

        return null;
    }

    /// <summary>Waits (bounded) for exit; false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static string? Which(string program)
    {
        if (Path.IsPathRooted(program))
            return File.Exists(program) ? program : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }
}
