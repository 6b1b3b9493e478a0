namespace RtcClient.Quic.Tls;

/// <summary>
/// Writes NSS key log lines (the SSLKEYLOGFILE format read by Wireshark):
/// <c>LABEL &lt;client_random hex&gt; &lt;secret hex&gt;</c>, one per line. Opening the SSLKEYLOGFILE
/// file is the driver's job (one shared writer per path); this class only formats and writes.
/// </summary>
internal static class TlsKeyLog
{
    /// <summary>Label of client_handshake_traffic_secret.</summary>
    public const string ClientHandshake = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
    /// <summary>Label of server_handshake_traffic_secret.</summary>
    public const string ServerHandshake = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
    /// <summary>Label of client_application_traffic_secret_0.</summary>
    public const string ClientTraffic0 = "CLIENT_TRAFFIC_SECRET_0";
    /// <summary>Label of server_application_traffic_secret_0.</summary>
    public const string ServerTraffic0 = "SERVER_TRAFFIC_SECRET_0";

    /// <summary>Appends one line and flushes, so the log is usable even if the process dies.</summary>
    public static void Write(TextWriter? writer, string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret)
    {
        if (writer is null) return;
        lock (writer)
        {
            writer.Write($"{label} {Convert.ToHexStringLower(clientRandom)} {Convert.ToHexStringLower(secret)}\n");
            writer.Flush();
        }
    }
}
