using System.Diagnostics;

namespace RtcClient.Media.Tests;

/// <summary>Runs an installed command-line tool with a timeout; fails the test clearly when it is missing or fails.</summary>
internal static class ExternalTool
{
    public static string Run(string tool, IEnumerable<string> args, int timeoutMs = 60_000)
    {
        var path = Find(tool);
        var psi = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {tool}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} did not finish within {timeoutMs} ms");
        }
        p.WaitForExit();
        if (p.ExitCode != 0)
            Assert.Fail($"{tool} {string.Join(' ', psi.ArgumentList)} exited with {p.ExitCode}: {stderr.Result}");
        return stdout.Result + stderr.Result;
    }

    public static string Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
                return candidate;
        }
        Assert.Fail($"'{tool}' is not installed; run native/install-deps.sh (packages opus-tools, ffmpeg, sox)");
        return tool;
    }
}
