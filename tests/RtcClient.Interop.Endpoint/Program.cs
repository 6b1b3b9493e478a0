// QUIC Interop Runner conventions: ROLE, TESTCASE, REQUESTS, WWW, DOWNLOADS, CERTS, PORT, SSLKEYLOGFILE, QLOGDIR.
// Exit code 127 means the test case is not supported (yet).
var testCase = Environment.GetEnvironmentVariable("TESTCASE") ?? "";
Console.Error.WriteLine($"unsupported test case '{testCase}'");
return 127;
