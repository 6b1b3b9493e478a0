namespace RtcClient.Quic.Tls;

/// <summary>The Certificate message (RFC 8446 section 4.4.2) with X.509 entries.</summary>
internal sealed class TlsCertificateMessage
{
    /// <summary>certificate_request_context (empty for a server's certificate).</summary>
    public byte[] RequestContext { get; init; } = [];

    /// <summary>DER certificates, end-entity first. Per-entry extensions are ignored.</summary>
    public IReadOnlyList<byte[]> Certificates { get; init; } = [];

    /// <summary>Parses the body.</summary>
    public static TlsCertificateMessage Parse(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var context = r.ReadVector8().ToArray();
        var list = new TlsReader(r.ReadVector24());
        r.EnsureEnd("Certificate");
        var certificates = new List<byte[]>();
        while (!list.IsEmpty)
        {
            var data = list.ReadVector24();
            if (data.IsEmpty) throw new TlsAlertException(TlsAlert.DecodeError, "empty cert_data");
            TlsExtensionBlock.Parse(list.ReadVector16()); // validated, then ignored (no OCSP/SCT use)
            certificates.Add(data.ToArray());
        }
        return new TlsCertificateMessage { RequestContext = context, Certificates = certificates };
    }

    /// <summary>Writes the whole handshake message (header included).</summary>
    public byte[] Encode()
    {
        var w = new TlsWriter();
        w.WriteUInt8((byte)TlsHandshakeType.Certificate);
        int body = w.BeginVector(3);
        int context = w.BeginVector(1);
        w.WriteBytes(RequestContext);
        w.EndVector(context, 1);
        int list = w.BeginVector(3);
        foreach (var der in Certificates)
        {
            int entry = w.BeginVector(3);
            w.WriteBytes(der);
            w.EndVector(entry, 3);
            w.WriteUInt16(0); // no per-certificate extensions
        }
        w.EndVector(list, 3);
        w.EndVector(body, 3);
        return w.ToArray();
    }
}
