namespace RtcClient.Quic.Tls;

/// <summary>
/// Writes NSS key log lines (the SSLKEYLOGFILE format read by Wireshark):
/// <c>LABEL &lt;client_random hex&gt; &lt;secret hex&gt;</c>, one per line.
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

    /// <summary>The environment variable naming the key log file.</summary>
    public const string EnvironmentVariable = "SSLKEYLOGFILE";

    /// <summary>Opens the file named by SSLKEYLOGFILE for appending, or returns null when it is unset.</summary>
    public static TextWriter? OpenFromEnvironment()
    {
        var path = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrEmpty(path) ? null : Open(path);
    }

    /// <summary>
    /// Opens <paramref name="path"/> for appending (shared, so several connections and processes can
    /// log to one file); the writer is synchronized and flushes every line.
    /// </summary>
    public static TextWriter Open(string path)
    {
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        return TextWriter.Synchronized(new StreamWriter(stream, new System.Text.UTF8Encoding(false)) { AutoFlush = true });
    }

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
