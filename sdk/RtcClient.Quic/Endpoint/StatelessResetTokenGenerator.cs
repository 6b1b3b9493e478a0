using System.Security.Cryptography;
using RtcClient.Quic.Packets;

namespace RtcClient.Quic.Endpoint;

/// <summary>
/// Stateless reset tokens derived from one static key per endpoint (RFC 9000 section 10.3.2): the token of
/// a connection ID is the first 16 bytes of HMAC-SHA256(key, connection ID). An endpoint that lost a
/// connection's state can so still compute the token of the connection ID a packet carries and reset it.
/// Tokens cannot be predicted without the key, which never leaves the process.
/// </summary>
internal sealed class StatelessResetTokenGenerator
{
    private readonly byte[] _key;

    /// <summary>Uses <paramref name="key"/> (at least 32 bytes).</summary>
    public StatelessResetTokenGenerator(ReadOnlySpan<byte> key)
    {
        if (key.Length < 32) throw new ArgumentException("the key has at least 32 bytes", nameof(key));
        _key = key.ToArray();
    }

    /// <summary>A generator with a fresh random key.</summary>
    public static StatelessResetTokenGenerator CreateRandom() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>Writes the 16-byte token of <paramref name="connectionId"/> to <paramref name="token"/>.</summary>
    public void Compute(ReadOnlySpan<byte> connectionId, Span<byte> token)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, connectionId, mac);
        mac[..StatelessReset.TokenLength].CopyTo(token);
    }
}
