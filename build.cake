// RtcClient build: Deps, Build, Test, Bench. Run through ./build.sh (restores the tool manifest first).
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var filter = Argument("filter", "");
var root = MakeAbsolute(Directory("."));
var artifacts = root.Combine("artifacts");
var testResults = artifacts.Combine("test-results");

void InstallDeps(string arguments)
{
    var script = root.CombineWithFilePath("native/install-deps.sh").FullPath;
    var code = StartProcess("bash", new ProcessSettings { Arguments = $"\"{script}\" {arguments}".TrimEnd() });
    if (code != 0) throw new Exception($"native/install-deps.sh failed with exit code {code}");
}

Task("Deps")
    .Description("Installs the OS packages and interop peers the tests need (apt-get only when missing).")
    .Does(() => InstallDeps(""));

Task("RuntimeDeps")
    .Description("Installs only the runtime libraries a call needs (Opus, OpenH264, PortAudio): the demo's set-up.")
    .Does(() => InstallDeps("--runtime"));

Task("Build")
    .Does(() =>
{
    DotNetBuild(root.CombineWithFilePath("RtcClient.sln").FullPath, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoLogo = true,
    });
});

Task("Test")
    .Description("Runs every test project, writes TRX files and prints 'N passed, N failed'.")
    .IsDependentOn("Deps")
    .IsDependentOn("Build")
    .Does(() =>
{
    CleanDirectory(testResults);
    var projects = GetFiles(root.FullPath + "/tests/**/*.Tests.csproj");
    var failedRuns = 0;
    foreach (var project in projects)
    {
        var name = project.GetFilenameWithoutExtension().ToString();
        var settings = new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoLogo = true,
            ResultsDirectory = testResults,
            Loggers = new[] { $"trx;LogFileName={name}.trx", "console;verbosity=minimal" },
            ArgumentCustomization = args => args.Append("--blame-hang-timeout 10m"),
        };
        if (!string.IsNullOrEmpty(filter)) settings.Filter = filter;
        try { DotNetTest(project.FullPath, settings); }
        catch (Exception e) { failedRuns++; Warning($"{name}: {e.Message}"); }
    }

    // Count from the TRX files, not from console output.
    int passed = 0, failed = 0, skipped = 0;
    foreach (var trx in GetFiles(testResults.FullPath + "/*.trx"))
    {
        var doc = System.Xml.Linq.XDocument.Load(trx.FullPath);
        var counters = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
        if (counters == null) { failedRuns++; continue; }
        int Read(string a) => int.Parse(counters.Attribute(a)?.Value ?? "0");
        passed += Read("passed");
        failed += Read("failed") + Read("error") + Read("timeout") + Read("aborted");
        skipped += Read("notExecuted");
    }
    if (failedRuns > 0 && failed == 0) failed = failedRuns;
    // build.sh prints this file as the run's last line, after Cake's task report.
    System.IO.File.WriteAllText(testResults.CombineWithFilePath("summary.txt").FullPath, $"{passed} passed, {failed} failed, {skipped} skipped\n");
    if (failed > 0) throw new Exception($"{failed} test(s) failed");
});

Task("Demo")
    .Description("The main job: a local call through an embedded server (examples/Rtc demo).")
    .IsDependentOn("RuntimeDeps")
    .Does(() =>
{
    var project = root.CombineWithFilePath("examples/Rtc/Rtc.csproj");
    try
    {
        DotNetRun(project.FullPath, new DotNetRunSettings
        {
            Configuration = configuration,
            // A first demo's time is mostly its build. The analyzers guard the code in Build and Test, not here
            // (~10 s); the compiler server builds the projects in one warm process (~20 s) even where the
            // environment turns it off, and is then stopped again below so that nothing outlives the demo.
            MSBuildSettings = new DotNetMSBuildSettings().WithProperty("RunAnalyzers", "false").WithProperty("UseSharedCompilation", "true"),
            ArgumentCustomization = a => a.Append("--").Append("demo").Append("--out").AppendQuoted(artifacts.Combine("demo").FullPath),
        });
    }
    finally
    {
        // Only a server this task started (the environment had it off): one the user runs anyway is theirs.
        if (string.Equals(EnvironmentVariable("UseSharedCompilation"), "false", StringComparison.OrdinalIgnoreCase))
            StartProcess("dotnet", new ProcessSettings { Arguments = "build-server shutdown --vbcscompiler", RedirectStandardOutput = true });
    }
});

Task("Bench")
    .Description("Runs the BenchmarkDotNet suite (pass --filter=PATTERN to pick benchmarks).")
    .Does(() =>
{
    var project = root.CombineWithFilePath("tests/RtcClient.Benchmarks/RtcClient.Benchmarks.csproj");
    var args = string.IsNullOrEmpty(filter) ? "--filter *" : $"--filter {filter}";
    DotNetRun(project.FullPath, new DotNetRunSettings
    {
        Configuration = "Release",
        ArgumentCustomization = a => a.Append("--").Append(args).Append("--artifacts").AppendQuoted(artifacts.Combine("bench").FullPath),
    });
});

RunTarget(target);
