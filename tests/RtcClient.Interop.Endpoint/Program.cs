// QUIC Interop Runner endpoint: ROLE (client|server), TESTCASE, REQUESTS, WWW, DOWNLOADS, CERTS, PORT,
// SSLKEYLOGFILE, QLOGDIR from the environment. Exit 0 on success, 1 on failure, 127 for a test case
// this endpoint does not support.
using RtcClient.Interop.Endpoint;

var settings = EndpointSettings.FromEnvironment();
if (!settings.IsSupported)
{
    Console.Error.WriteLine($"unsupported test case '{settings.TestCase}'");
    return 127;
}
using var stop = new CancellationTokenSource();
using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    stop.Cancel();
});
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    return settings.Role switch
    {
        "server" when settings.TestCase == "http3" => await Http3InteropServer.RunAsync(settings, stop.Token),
        "client" when settings.TestCase == "http3" => await Http3InteropClient.RunAsync(settings, stop.Token),
        "server" => await HqInteropServer.RunAsync(settings, stop.Token),
        "client" => await HqInteropClient.RunAsync(settings, stop.Token),
        _ => Fail($"ROLE must be client or server, not '{settings.Role}'"),
    };
}
catch (Exception e) when (e is RtcClient.Quic.QuicException or IOException or OperationCanceledException or InvalidOperationException or HttpRequestException)
{
    return Fail(e.ToString());
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 1;
}
