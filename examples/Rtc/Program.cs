using System.CommandLine;
using System.Net;
using Rtc;
using Spectre.Console;

var console = AnsiConsole.Console;

var outOption = new Option<string>("--out") { Description = "Directory for the recordings", DefaultValueFactory = _ => Path.Combine("artifacts", "demo") };
var secondsOption = new Option<double>("--seconds") { Description = "How long the call talks", DefaultValueFactory = _ => 5 };
var demo = new Command("demo", "Embedded server, alice calls bob on loopback, a tone each way, live stats, recordings and a summary") { outOption, secondsOption };
demo.SetAction(async (parse, ct) =>
{
    var options = new DemoOptions { OutputDirectory = parse.GetValue(outOption)!, Duration = TimeSpan.FromSeconds(parse.GetValue(secondsOption)) };
    var result = await DemoCall.RunAsync(options, new LiveStatsView(console), ct);
    DemoSummary.Write(console, result);
    return result.AliceToBob.Heard && result.BobToAlice.Heard ? 0 : 1;
});

var listenOption = new Option<string>("--listen") { Description = "UDP address to serve HTTP/3 on", DefaultValueFactory = _ => "127.0.0.1:4433" };
var tokenOption = new Option<string[]>("--token") { Description = "NAME=TOKEN, repeatable (default: random tokens for alice and bob)", AllowMultipleArgumentsPerToken = false };
var webOption = new Option<string?>("--web") { Description = "Directory to serve as static files, e.g. examples/Browser (the browser phone)" };
var serve = new Command("serve", "Runs the call server until Ctrl+C") { listenOption, tokenOption, webOption };
serve.SetAction((parse, ct) => EndpointCommands.ServeAsync(IPEndPoint.Parse(parse.GetValue(listenOption)!), parse.GetValue(tokenOption) ?? [], parse.GetValue(webOption), console, ct));

var uriArgument = new Argument<string>("uri") { Description = "The server, e.g. https://127.0.0.1:4433/" };
var nameOption = new Option<string>("--name") { Description = "Who this endpoint is", Required = true };
var meTokenOption = new Option<string>("--token") { Description = "Bearer token", Required = true };
var pinOption = new Option<string?>("--pin") { Description = "Server certificate SHA-256 (hex) to pin; without it the certificate chain and host name are validated" };
var playOption = new Option<string?>("--play") { Description = "WAV file to play (looped); default a tone" };
var recordOption = new Option<string?>("--record") { Description = "WAV file to record what is heard" };
var toneOption = new Option<double>("--tone") { Description = "Tone frequency when nothing is played", DefaultValueFactory = _ => 440 };
var toOption = new Option<string>("--to") { Description = "Who to call", Required = true };
var callSecondsOption = new Option<double>("--seconds") { Description = "Hang up after this long", DefaultValueFactory = _ => 10 };
var answerSecondsOption = new Option<double?>("--seconds") { Description = "Hang up after this long (default: when the caller does)" };

EndpointOptions Endpoint(ParseResult p) => new()
{
    Server = new Uri(p.GetValue(uriArgument)!, UriKind.Absolute),
    Name = p.GetValue(nameOption)!,
    Token = p.GetValue(meTokenOption)!,
    Pin = p.GetValue(pinOption),
    Play = p.GetValue(playOption),
    Record = p.GetValue(recordOption),
    ToneHz = p.GetValue(toneOption),
};

var call = new Command("call", "Places a call, plays and records, shows live stats") { uriArgument, toOption, nameOption, meTokenOption, pinOption, playOption, recordOption, toneOption, callSecondsOption };
call.SetAction((parse, ct) => EndpointCommands.CallAsync(Endpoint(parse), parse.GetValue(toOption)!, TimeSpan.FromSeconds(parse.GetValue(callSecondsOption)), console, ct));

var answer = new Command("answer", "Waits for a call and answers it") { uriArgument, nameOption, meTokenOption, pinOption, playOption, recordOption, toneOption, answerSecondsOption };
answer.SetAction((parse, ct) => EndpointCommands.AnswerAsync(Endpoint(parse), parse.GetValue(answerSecondsOption) is { } s ? TimeSpan.FromSeconds(s) : null, console, ct));

var root = new RootCommand("rtc: calls over HTTP/3 with the RtcClient SDK") { demo, serve, call, answer };
return await root.Parse(args).InvokeAsync();
