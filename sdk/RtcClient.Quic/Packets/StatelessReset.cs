using System.Security.Cryptography;

namespace RtcClient.Quic.Packets;

/// <summary>
/// Stateless Reset (RFC 9000 section 10.3): a datagram that looks like a short header packet and ends in
/// the 16-byte stateless reset token of a connection ID the sender issued.
/// </summary>
public static class StatelessReset
{
    /// <summary>Length of a stateless reset token.</summary>
    public const int TokenLength = 16;

    /// <summary>Smallest Stateless Reset: 5 bytes that look like a short header (38 unpredictable bits) plus the token.</summary>
    public const int MinLength = 21;

    /// <summary>Largest Stateless Reset this stack sends.</summary>
    public const int MaxLength = 1200;

    /// <summary>
    /// Length of the Stateless Reset to send in answer to a packet of <paramref name="triggeringLength"/>
    /// bytes, or 0 when none may be sent. Always shorter than the trigger, so two endpoints can never loop
    /// on each other's resets, and never below <see cref="MinLength"/>.
    /// </summary>
    public static int GetResponseLength(int triggeringLength)
        => triggeringLength <= MinLength ? 0 : Math.Min(triggeringLength - 1, MaxLength);

    /// <summary>
    /// Turns <paramref name="packet"/>, which the caller filled with unpredictable bytes, into a Stateless
    /// Reset: sets the short-header form bits (0b01) and writes <paramref name="token"/> at the end.
    /// </summary>
    public static void Finish(Span<byte> packet, ReadOnlySpan<byte> token)
    {
        if (packet.Length < MinLength) throw new ArgumentException($"a Stateless Reset is at least {MinLength} bytes", nameof(packet));
        if (token.Length != TokenLength) throw new ArgumentException("the token is 16 bytes", nameof(token));
        packet[0] = (byte)((packet[0] & 0x3F) | 0x40);
        token.CopyTo(packet[^TokenLength..]);
    }

    /// <summary>Fills <paramref name="packet"/> with cryptographically random bytes and finishes it as a Stateless Reset.</summary>
    public static void Write(Span<byte> packet, ReadOnlySpan<byte> token)
    {
        RandomNumberGenerator.Fill(packet);
        Finish(packet, token);
    }

    /// <summary>
    /// True when <paramref name="datagram"/> ends in <paramref name="token"/> (compared in constant time) and is
    /// long enough to be a Stateless Reset. Check datagrams that could not be processed (RFC 9000 section 10.3.1).
    /// </summary>
    public static bool IsStatelessReset(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> token)
        => datagram.Length >= MinLength && token.Length == TokenLength
           && (datagram[0] & 0x80) == 0
           && CryptographicOperations.FixedTimeEquals(datagram[^TokenLength..], token);
}
