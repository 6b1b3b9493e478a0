using System.Net.Sockets;

namespace RtcClient.Quic.Driver;

/// <summary>
/// RFC 9000 section 14: QUIC datagrams must not be IP-fragmented, so the Don't Fragment bit is set. On Linux
/// the mode is IP_PMTUDISC_PROBE (IPV6_PMTUDISC_PROBE): DF set and the kernel's path MTU cache ignored, so the
/// size is decided by our DPLPMTUD (RFC 8899) alone, and a datagram larger than the interface MTU fails at
/// send time instead of being fragmented. Elsewhere the BCL's <see cref="Socket.DontFragment"/> sets DF.
/// </summary>
internal static class PathMtuSocketOptions
{
    // <linux/in.h> and <linux/in6.h>.
    private const int SolIp = 0, IpMtuDiscover = 10;
    private const int SolIpv6 = 41, Ipv6MtuDiscover = 23;

    /// <summary>IP_PMTUDISC_PROBE / IPV6_PMTUDISC_PROBE.</summary>
    public const int PmtuDiscProbe = 3;

    /// <summary>Sets Don't Fragment on a UDP socket before it is bound.</summary>
    public static void SetDontFragment(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var (level, name) = Option(socket.AddressFamily);
                socket.SetRawSocketOption(level, name, BitConverter.GetBytes(PmtuDiscProbe));
                return;
            }
            catch (SocketException)
            {
                // A kernel without the PROBE mode: fall back to the BCL's DF (IP_PMTUDISC_DO).
            }
        }
        try
        {
            socket.DontFragment = true;
        }
        catch (Exception e) when (e is SocketException or NotSupportedException)
        {
            // The platform cannot set DF for this family: datagrams stay at most the size probes confirmed.
        }
    }

    /// <summary>The path MTU discovery mode of <paramref name="socket"/> (Linux only; for tests).</summary>
    public static int GetMode(Socket socket)
    {
        var (level, name) = Option(socket.AddressFamily);
        Span<byte> value = stackalloc byte[4];
        socket.GetRawSocketOption(level, name, value);
        return BitConverter.ToInt32(value);
    }

    private static (int Level, int Name) Option(AddressFamily family)
        => family == AddressFamily.InterNetworkV6 ? (SolIpv6, Ipv6MtuDiscover) : (SolIp, IpMtuDiscover);
}
