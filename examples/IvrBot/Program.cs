using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using IvrBot;
using RtcClient;
using RtcClient.Server.Auth;
using RtcClient.Server.Hosting;
using RtcExamples;

var serverArgument = new Argument<string?>("uri") { Description = "The call server (omit with --embedded)", Arity = ArgumentArity.ZeroOrOne };
var embeddedOption = new Option<bool>("--embedded") { Description = "Host a call server in this process" };
var listenOption = new Option<string>("--listen") { Description = "UDP address of the embedded server", DefaultValueFactory = _ => "127.0.0.1:4433" };
var callerTokenOption = new Option<string[]>("--caller-token") { Description = "NAME=TOKEN of a caller allowed on the embedded server (repeatable; default a random token for 'caller')" };
var nameOption = new Option<string>("--name") { Description = "The IVR's name (callers dial it)", DefaultValueFactory = _ => "ivr" };
var tokenOption = new Option<string?>("--token") { Description = "The IVR's bearer token (required without --embedded)" };
var pinOption = new Option<string?>("--pin") { Description = "Server certificate SHA-256 (hex) to pin; without it the chain and host name are validated" };
var outOption = new Option<string>("--out") { Description = "Directory for caller recordings", DefaultValueFactory = _ => "recordings" };
var promptOption = new Option<string?>("--prompt") { Description = "WAV prompt to play (default: a synthesized chime)" };
var timeoutOption = new Option<double>("--digit-timeout") { Description = "Seconds to wait for each digit", DefaultValueFactory = _ => 10 };

var root = new RootCommand("ivrbot: answers calls, plays a prompt, collects DTMF until '#', records the caller, hangs up")
{
    serverArgument, embeddedOption, listenOption, callerTokenOption, nameOption, tokenOption, pinOption, outOption, promptOption, timeoutOption,
};
root.SetAction(async (parse, ct) =>
{
    var name = parse.GetValue(nameOption)!;
    RiptServerHost? server = null;
    Uri uri;
    string token;
    string? pin = parse.GetValue(pinOption);
    if (parse.GetValue(embeddedOption))
    {
        token = parse.GetValue(tokenOption) ?? NewToken();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal) { [token] = name };
        var callers = parse.GetValue(callerTokenOption) ?? [];
        if (callers.Length == 0) callers = [$"caller={NewToken()}"];
        foreach (var c in callers)
        {
            var parts = c.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) throw new FormatException($"--caller-token '{c}': expected NAME=TOKEN");
            tokens[parts[1]] = parts[0];
        }
        server = await RiptServerHost.StartAsync(new RiptServerHostOptions { EndPoint = IPEndPoint.Parse(parse.GetValue(listenOption)!), Tokens = new StaticTokenValidator(tokens) }, ct);
        uri = server.Uri;
        pin = CertificatePin.Format(server.CertificateSha256);
        Console.WriteLine($"embedded server {uri}  certificate sha256 {pin}");
        foreach (var (t, n) in tokens) if (n != name) Console.WriteLine($"caller token {n}={t}");
    }
    else
    {
        uri = parse.GetValue(serverArgument) is { } u ? new Uri(u, UriKind.Absolute) : throw new ArgumentException("give the server URI, or --embedded");
        token = parse.GetValue(tokenOption) ?? throw new ArgumentException("--token is required to connect to a server");
    }
    try
    {
        await using var client = await CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = uri, Token = token, Name = name, PinnedCertificateSha256 = pin is null ? [] : [CertificatePin.Parse(pin)],
        }, ct);
        var options = new IvrOptions { RecordingDirectory = parse.GetValue(outOption)!, DigitTimeout = TimeSpan.FromSeconds(parse.GetValue(timeoutOption)) };
        if (parse.GetValue(promptOption) is { } prompt) options = new IvrOptions { RecordingDirectory = options.RecordingDirectory, DigitTimeout = options.DigitTimeout, Prompt = Clips.FromWav(prompt, options.Format) };
        var ivr = new Ivr(client, options);
        ivr.CallCompleted += (_, r) => Console.WriteLine($"call {r.CallId} from {r.From}: digits '{r.Digits}' ({r.Outcome}), recording {r.RecordingPath}");
        Console.WriteLine($"IVR '{name}' ready; Ctrl+C stops");
        await ivr.RunAsync(ct);
        return 0;
    }
    finally
    {
        if (server is not null) await server.DisposeAsync();
    }
});
return await root.Parse(args).InvokeAsync();

static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
