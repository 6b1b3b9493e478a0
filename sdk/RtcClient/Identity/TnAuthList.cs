using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Identity;

/// <summary>
/// The RFC 8226 TN Authorization List certificate extension (id-pe-TNAuthList,
/// 1.3.6.1.5.5.7.1.26): which service provider codes and telephone numbers a STIR certificate speaks
/// for. The ASN.1 module uses explicit tags:
/// <c>TNAuthorizationList ::= SEQUENCE SIZE (1..MAX) OF TNEntry</c>,
/// <c>TNEntry ::= CHOICE { spc [0] IA5String, range [1] SEQUENCE { start TelephoneNumber, count INTEGER (2..MAX) }, one [2] TelephoneNumber }</c>.
/// </summary>
public sealed class TnAuthList
{
    /// <summary>The extension's OID.</summary>
    public const string Oid = "1.3.6.1.5.5.7.1.26";

    private static readonly Asn1Tag SpcTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag RangeTag = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag OneTag = new(TagClass.ContextSpecific, 2, isConstructed: true);

    /// <summary>Creates a list; it must not be empty, numbers must be canonical and ranges hold at least 2 numbers.</summary>
    public TnAuthList(IEnumerable<TnAuthEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];
        if (Entries.Count == 0)
            throw new ArgumentException("a TNAuthList has at least one entry", nameof(entries));
        foreach (var e in Entries)
        {
            bool valid = e.Kind switch
            {
                TnAuthEntryKind.ServiceProviderCode => e.Value.Length > 0 && e.Value.All(char.IsAscii),
                TnAuthEntryKind.One => TelephoneNumber.IsCanonical(e.Value),
                TnAuthEntryKind.Range => TelephoneNumber.IsCanonical(e.Value) && e.Count >= 2,
                _ => false,
            };
            if (!valid)
                throw new ArgumentException($"invalid TNAuthList entry {e}", nameof(entries));
        }
    }

    /// <summary>The entries in order.</summary>
    public IReadOnlyList<TnAuthEntry> Entries { get; }

    /// <summary>True when a number or range entry covers the canonical number <paramref name="number"/>.</summary>
    public bool Covers(string number) => Entries.Any(e => e.Covers(number));

    /// <summary>The service provider codes listed.</summary>
    public IEnumerable<string> ServiceProviderCodes => Entries.Where(e => e.Kind == TnAuthEntryKind.ServiceProviderCode).Select(e => e.Value);

    /// <summary>The DER encoding (the extension's value).</summary>
    public byte[] Encode()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var e in Entries)
            {
                switch (e.Kind)
                {
                    case TnAuthEntryKind.ServiceProviderCode:
                        using (writer.PushSequence(SpcTag))
                            writer.WriteCharacterString(UniversalTagNumber.IA5String, e.Value);
                        break;
                    case TnAuthEntryKind.Range:
                        using (writer.PushSequence(RangeTag))
                        using (writer.PushSequence())
                        {
                            writer.WriteCharacterString(UniversalTagNumber.IA5String, e.Value);
                            writer.WriteInteger(e.Count);
                        }
                        break;
                    default:
                        using (writer.PushSequence(OneTag))
                            writer.WriteCharacterString(UniversalTagNumber.IA5String, e.Value);
                        break;
                }
            }
        }
        return writer.Encode();
    }

    /// <summary>The list as a (non-critical by default) certificate extension, e.g. for a <see cref="CertificateRequest"/>.</summary>
    public X509Extension ToExtension(bool critical = false) => new(Oid, Encode(), critical);

    /// <summary>Decodes a DER TNAuthList; throws <see cref="CryptographicException"/> when it is malformed.</summary>
    public static TnAuthList Decode(ReadOnlyMemory<byte> der)
    {
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var list = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var entries = new List<TnAuthEntry>();
            while (list.HasData)
            {
                var tag = list.PeekTag();
                if (tag == SpcTag)
                {
                    var inner = list.ReadSequence(SpcTag);
                    entries.Add(TnAuthEntry.ServiceProviderCode(inner.ReadCharacterString(UniversalTagNumber.IA5String)));
                    inner.ThrowIfNotEmpty();
                }
                else if (tag == RangeTag)
                {
                    var inner = list.ReadSequence(RangeTag);
                    var range = inner.ReadSequence();
                    inner.ThrowIfNotEmpty();
                    string start = range.ReadCharacterString(UniversalTagNumber.IA5String);
                    BigInteger count = range.ReadInteger();
                    // The range type is extensible ("..."): later members are skipped.
                    entries.Add(TnAuthEntry.Range(start, count > long.MaxValue ? long.MaxValue : (long)BigInteger.Max(count, 0)));
                }
                else if (tag == OneTag)
                {
                    var inner = list.ReadSequence(OneTag);
                    entries.Add(TnAuthEntry.One(inner.ReadCharacterString(UniversalTagNumber.IA5String)));
                    inner.ThrowIfNotEmpty();
                }
                else
                {
                    throw new CryptographicException($"unknown TNEntry alternative {tag}");
                }
            }
            return new TnAuthList(entries);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("malformed TNAuthList", e);
        }
        catch (ArgumentException e)
        {
            throw new CryptographicException("invalid TNAuthList: " + e.Message, e);
        }
    }

    /// <summary>The certificate's TNAuthList, or null when it has none; throws <see cref="CryptographicException"/> when it is malformed.</summary>
    public static TnAuthList? FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == Oid)
                return Decode(extension.RawData);
        }
        return null;
    }
}
