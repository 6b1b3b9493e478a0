using RtcClient.Http3.Tests.Interop;
using RtcClient.Media.Codecs;

namespace RtcClient.Tests.Examples;

/// <summary>The browser phone's G.711 (examples/Browser/g711.js, run by Node.js) against the SDK's, over every input.</summary>
[Category("Interop")]
public class BrowserG711Tests
{
    [Test]
    public async Task Javascript_g711_is_bit_identical_to_the_sdk_itu_quantization([Values] G711Law law)
    {
        string module = new Uri(Path.Combine(BrowserPhoneTests.BrowserDirectory(), "g711.js")).AbsoluteUri;
        string encode = law == G711Law.MuLaw ? "linearToMuLaw" : "linearToALaw";
        string decode = law == G711Law.MuLaw ? "muLawToLinear" : "aLawToLinear";
        // Prints 65536 codes (hex, one per input from -32768 up) and then 256 decoded values.
        string script = $$"""
            const g = await import('{{module}}');
            const codes = []; for (let x = -32768; x <= 32767; x++) codes.push(g.{{encode}}(x).toString(16).padStart(2, '0'));
            const values = []; for (let c = 0; c < 256; c++) values.push(g.{{decode}}(c));
            console.log(codes.join('')); console.log(values.join(','));
            """;
        using var node = PeerProcess.Start("node", ["--input-type=module", "-e", script]);
        Assert.That(await node.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True, "node did not finish");
        var lines = node.Lines.ToArray();
        Assert.That(node.Process.ExitCode, Is.EqualTo(0), string.Join('\n', lines));
        var codes = Convert.FromHexString(lines[0]);
        var values = lines[1].Split(',').Select(int.Parse).ToArray();

        Assert.That(codes, Has.Length.EqualTo(65536));
        for (int x = short.MinValue; x <= short.MaxValue; x++)
            Assert.That(codes[x - short.MinValue], Is.EqualTo(G711.Encode(law, G711Quantization.Itu, (short)x)), $"input {x}");
        for (int c = 0; c < 256; c++)
            Assert.That(values[c], Is.EqualTo(law == G711Law.MuLaw ? G711.MuLawToLinear((byte)c) : G711.ALawToLinear((byte)c)), $"code {c:X2}");
    }
}
