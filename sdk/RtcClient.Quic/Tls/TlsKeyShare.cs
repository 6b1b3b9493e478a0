using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace RtcClient.Quic.Tls;

/// <summary>
/// One ephemeral (EC)DHE key pair for a key_share entry (RFC 8446 section 4.2.8): X25519 through
/// BouncyCastle, secp256r1 through the BCL's ECDiffieHellman (uncompressed points, section 4.2.8.2).
/// </summary>
internal sealed class TlsKeyShare : IDisposable
{
    private const int X25519Length = 32;
    private const int P256CoordinateLength = 32;

    private readonly X25519PrivateKeyParameters? _x25519;
    private readonly ECDiffieHellman? _ecdh;

    private TlsKeyShare(TlsNamedGroup group, X25519PrivateKeyParameters? x25519, ECDiffieHellman? ecdh)
    {
        Group = group;
        _x25519 = x25519;
        _ecdh = ecdh;
        if (x25519 is not null)
        {
            var pub = new byte[X25519Length];
            x25519.GeneratePublicKey().Encode(pub, 0);
            PublicKey = pub;
        }
        else
        {
            var q = ecdh!.ExportParameters(false).Q;
            var pub = new byte[1 + 2 * P256CoordinateLength];
            pub[0] = 4;
            q.X!.CopyTo(pub, 1);
            q.Y!.CopyTo(pub, 1 + P256CoordinateLength);
            PublicKey = pub;
        }
    }

    /// <summary>The group of this key pair.</summary>
    public TlsNamedGroup Group { get; }

    /// <summary>The key_exchange bytes sent to the peer.</summary>
    public byte[] PublicKey { get; }

    /// <summary>True for the groups this stack implements.</summary>
    public static bool IsSupported(ushort group) => group is (ushort)TlsNamedGroup.X25519 or (ushort)TlsNamedGroup.Secp256r1;

    /// <summary>Generates a fresh key pair for <paramref name="group"/>.</summary>
    public static TlsKeyShare Generate(TlsNamedGroup group) => group switch
    {
        TlsNamedGroup.X25519 => new TlsKeyShare(group, new X25519PrivateKeyParameters(new SecureRandom()), null),
        TlsNamedGroup.Secp256r1 => new TlsKeyShare(group, null, ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256)),
        _ => throw new ArgumentOutOfRangeException(nameof(group)),
    };

    /// <summary>An X25519 key pair from a known private key (test vectors).</summary>
    public static TlsKeyShare FromX25519PrivateKey(ReadOnlySpan<byte> privateKey)
        => new(TlsNamedGroup.X25519, new X25519PrivateKeyParameters(privateKey), null);

    /// <summary>
    /// The shared secret with the peer's key_exchange bytes. An invalid peer key (wrong length,
    /// not on the curve, or an all-zero X25519 result per RFC 8446 section 7.4.2) is illegal_parameter.
    /// </summary>
    public byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (_x25519 is not null)
        {
            if (peerPublicKey.Length != X25519Length)
                throw new TlsAlertException(TlsAlert.IllegalParameter, "X25519 key_exchange must be 32 bytes");
            var secret = new byte[X25519Length];
            try
            {
                _x25519.GenerateSecret(new X25519PublicKeyParameters(peerPublicKey), secret, 0);
            }
            catch (InvalidOperationException e)
            {
                // BouncyCastle refuses low-order points (all-zero result) itself.
                throw new TlsAlertException(TlsAlert.IllegalParameter, "X25519 shared secret is all zeros", e);
            }
            if (secret.AsSpan().IndexOfAnyExcept((byte)0) < 0)
                throw new TlsAlertException(TlsAlert.IllegalParameter, "X25519 shared secret is all zeros");
            return secret;
        }

        if (peerPublicKey.Length != 1 + 2 * P256CoordinateLength || peerPublicKey[0] != 4)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "secp256r1 key_exchange must be an uncompressed point");
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = peerPublicKey.Slice(1, P256CoordinateLength).ToArray(),
                Y = peerPublicKey.Slice(1 + P256CoordinateLength, P256CoordinateLength).ToArray(),
            },
        };
        try
        {
            using var peer = ECDiffieHellman.Create(parameters);
            return _ecdh!.DeriveRawSecretAgreement(peer.PublicKey);
        }
        catch (CryptographicException e)
        {
            throw new TlsAlertException(TlsAlert.IllegalParameter, "invalid secp256r1 point: " + e.Message);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _ecdh?.Dispose();
}
