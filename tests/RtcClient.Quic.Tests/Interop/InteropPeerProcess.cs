using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RtcClient.Quic.Tests.Interop;

/// <summary>
/// A peer implementation started for one test on loopback: output captured, stopped by its PID.
/// Peers are installed by native/install-deps.sh; a missing binary fails the test with that hint.
/// </summary>
internal sealed class InteropPeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private InteropPeerProcess(Process process) => _process = process;

    /// <summary>Everything the peer wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get { lock (_gate) return _output.ToString(); }
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static InteropPeerProcess Start(string binary, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(binary, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            psi.Environment[key] = value;
        var process = new Process { StartInfo = psi };
        var peer = new InteropPeerProcess(process);
        process.OutputDataReceived += (_, e) => peer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_gate) _output.AppendLine(line);
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the output on timeout or exit.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited && !Output.Contains(text, StringComparison.Ordinal))
            {
                await Task.Delay(50, ct); // let the asynchronous readers drain
                if (Output.Contains(text, StringComparison.Ordinal)) return;
                Assert.Fail($"{_process.StartInfo.FileName} exited ({_process.ExitCode}) before printing '{text}':\n{Output}");
            }
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{_process.StartInfo.FileName} did not print '{text}' within {timeout}:\n{Output}");
            await Task.Delay(20, ct);
        }
    }

    /// <summary>Waits for the process to exit on its own; kills it and fails on timeout.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
        window.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(window.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Kill();
            Assert.Fail($"{_process.StartInfo.FileName} did not exit within {timeout}:\n{Output}");
        }
        _process.WaitForExit(); // flushes redirected output
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) Process.GetProcessById(_process.Id).Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
    }

    /// <summary>A UDP port that was free a moment ago on 127.0.0.1.</summary>
    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Finds a system binary on PATH (ngtcp2, tshark) or fails with the install hint.</summary>
    public static string RequireOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"interop peer '{name}' not found on PATH: run native/install-deps.sh");
        return "";
    }

    /// <summary>Finds one of our Go peers built by native/install-deps.sh into artifacts/interop-bin (or INTEROP_BIN).</summary>
    public static string RequireGoPeer(string name)
    {
        var fromEnv = Environment.GetEnvironmentVariable("INTEROP_BIN");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(Path.Combine(fromEnv, name))) return Path.Combine(fromEnv, name);
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "artifacts", "interop-bin", name);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"interop peer '{name}' not found in artifacts/interop-bin (or $INTEROP_BIN): run native/install-deps.sh");
        return "";
    }
}
