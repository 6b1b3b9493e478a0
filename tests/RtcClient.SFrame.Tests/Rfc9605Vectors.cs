namespace RtcClient.SFrame.Tests;

/// <summary>Test vectors of RFC 9605 Appendix C, transcribed from the RFC text (line breaks inside values removed).</summary>
public static class Rfc9605Vectors
{
    /// <summary>Appendix C.1, from TestVectors/rfc9605-c1-headers.txt.</summary>
    public static IEnumerable<TestCaseData> Headers()
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestVectors", "rfc9605-c1-headers.txt");
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] parts = line.Split(' ');
            yield return new TestCaseData(Convert.ToUInt64(parts[0], 16), Convert.ToUInt64(parts[1], 16), parts[2])
                .SetArgDisplayNames($"kid={parts[0]}", $"ctr={parts[1]}");
        }
    }

    /// <summary>Appendix C.2: AEAD encryption/decryption using AES-CTR and HMAC.</summary>
    public static readonly AeadVector[] CtrHmac =
    [
        new(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80, "6339af04ada1d064688a442b8dc69d5b6bfa40f4bef0583e8081069cc60705"),
        new(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_64, "6339af04ada1d064688a442b8dc69d5b6bfa40f4be6e93b7da076927bb"),
        new(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_32, "6339af04ada1d064688a442b8dc69d5b6bfa40f4be09480509"),
    ];

    public const string AeadKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f";
    public const string AeadEncKey = "000102030405060708090a0b0c0d0e0f";
    public const string AeadAuthKey = "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f";
    public const string AeadNonce = "101112131415161718191a1b";
    public const string Aad = "4945544620534672616d65205747";
    public const string Plaintext = "64726166742d696574662d736672616d652d656e63";

    /// <summary>Appendix C.3: SFrame encryption/decryption; kid 0x123, ctr 0x4567 throughout.</summary>
    public static readonly SFrameVector[] SFrame =
    [
        new(
            SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80,
            "534672616d6520312e3020536563726574206b65792000000000000001230001",
            "534672616d6520312e30205365637265742073616c742000000000000001230001",
            "d926952ca8b7ec4a95941d1ada3a5203ceff8cceee34f574d23909eb314c40c0",
            "3f7d9a7c83ae8e1c8a11ae695ab59314b367e359fadac7b9c46b2bc6f81f46e16b96f0811868d59402b7e870102720b3",
            "50b29329a04dc0f184ac3168",
            "50b29329a04dc0f184ac740f",
            "9901234567449408b6f490086165b9d6f62b24ae1a59a56486b4ae8ed036b88912e24f11"),
        new(
            SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_64,
            "534672616d6520312e3020536563726574206b65792000000000000001230002",
            "534672616d6520312e30205365637265742073616c742000000000000001230002",
            "d926952ca8b7ec4a95941d1ada3a5203ceff8cceee34f574d23909eb314c40c0",
            "e2ec5c797540310483b16bf6e7a570d2a27d192fe869c7ccd8584a8d9dab91549fbe553f5113461ec6aa83bf3865553e",
            "e68ac8dd3d02fbcd368c5577",
            "e68ac8dd3d02fbcd368c1010",
            "99012345673f31438db4d09434e43afa0f8a2f00867a2be085046a9f5cb4f101d607"),
        new(
            SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_32,
            "534672616d6520312e3020536563726574206b65792000000000000001230003",
            "534672616d6520312e30205365637265742073616c742000000000000001230003",
            "d926952ca8b7ec4a95941d1ada3a5203ceff8cceee34f574d23909eb314c40c0",
            "2c5703089cbb8c583475e4fc461d97d18809df79b6d550f78eb6d50ffa80d89211d57909934f46f5405e38cd583c69fe",
            "38c16e4f5159700c00c7f350",
            "38c16e4f5159700c00c7b637",
            "990123456717fc8af28a5a695afcfc6c8df6358a17e26b2fcb3bae32e443"),
        new(
            SFrameCipherSuite.AES_128_GCM_SHA256_128,
            "534672616d6520312e3020536563726574206b65792000000000000001230004",
            "534672616d6520312e30205365637265742073616c742000000000000001230004",
            "d926952ca8b7ec4a95941d1ada3a5203ceff8cceee34f574d23909eb314c40c0",
            "d34f547f4ca4f9a7447006fe7fcbf768",
            "75234edefe07819026751816",
            "75234edefe07819026755d71",
            "9901234567b7412c2513a1b66dbb48841bbaf17f598751176ad847681a69c6d0b091c07018ce4adb34eb"),
        new(
            SFrameCipherSuite.AES_256_GCM_SHA512_128,
            "534672616d6520312e3020536563726574206b65792000000000000001230005",
            "534672616d6520312e30205365637265742073616c742000000000000001230005",
            "0fc3ea6de6aac97a35f194cf9bed94d4b5230f1cb45a785c9fe5dce9c188938ab6ba005bc4c0a19181599e9d1bcf7b74aca48b60bf5e254e546d809313e083a3",
            "d3e27b0d4a5ae9e55df01a70e6d4d28d969b246e2936f4b7a5d9b494da6b9633",
            "84991c167b8cd23c93708ec7",
            "84991c167b8cd23c9370cba0",
            "990123456794f509d36e9beacb0e261d99c7d1e972f1fed787d4049f17ca21353c1cc24d56ceabced279"),
    ];

    public const ulong KeyId = 0x0000000000000123;
    public const ulong Counter = 0x0000000000004567;
    public const string BaseKey = "000102030405060708090a0b0c0d0e0f";
    public const string Metadata = "4945544620534672616d65205747";
    public const string SFrameAad = "99012345674945544620534672616d65205747";

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    public sealed record AeadVector(SFrameCipherSuite Suite, string Ciphertext)
    {
        public override string ToString() => Suite.ToString();
    }

    public sealed record SFrameVector(
        SFrameCipherSuite Suite,
        string KeyLabel,
        string SaltLabel,
        string Secret,
        string Key,
        string Salt,
        string Nonce,
        string Ciphertext)
    {
        public override string ToString() => Suite.ToString();
    }
}
