using System.Runtime.InteropServices;
using RtcClient.Media.Io;

namespace RtcClient.Media.Tests.Io;

/// <summary>
/// Real PortAudio streams without sound hardware: ALSA "file" PCMs over the "null" PCM, defined in an
/// .asoundrc under a temporary HOME. ALSA reads HOME natively when PortAudio first initializes, so the
/// fixture sets it with libc setenv (Environment.SetEnvironmentVariable does not reach native code on
/// Unix) before any PortAudio use in this process. These devices are not clocked: writes complete at
/// memory speed, so the tests check content, not timing.
/// </summary>
[NonParallelizable]
public partial class PortAudioDeviceTests
{
    private TempDirectory? home;
    private string? originalHome;

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    private static readonly short[] CaptureInput = Tone(48000, 1000);

    private string PlayedFile => home!.File("played.raw");

    private string CaptureFile => home!.File("capture.raw");

    [OneTimeSetUp]
    public void CreateFileDevices()
    {
        Assert.That(OperatingSystem.IsLinux(), Is.True, "ALSA file devices need Linux");
        home = new TempDirectory();
        File.WriteAllText(home.File(".asoundrc"), $$"""
            pcm.rtc_play {
                type file
                slave.pcm "null"
                file "{{PlayedFile}}"
                format "raw"
            }
            pcm.rtc_capture {
                type file
                slave.pcm "null"
                file "/dev/null"
                infile "{{CaptureFile}}"
                format "raw"
            }
            """);
        // ALSA only offers capture on a file PCM whose infile exists when devices are probed.
        var bytes = new byte[CaptureInput.Length * 2];
        Buffer.BlockCopy(CaptureInput, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(CaptureFile, bytes);
        originalHome = Environment.GetEnvironmentVariable("HOME");
        Assert.That(SetEnv("HOME", home.Path, 1), Is.Zero);
    }

    [OneTimeTearDown]
    public void RestoreHome()
    {
        if (originalHome is not null)
            SetEnv("HOME", originalHome, 1);
        home?.Dispose();
    }

    private static short[] Tone(int samples, double frequency)
    {
        var gen = new ToneGenerator(new AudioFormat(48000), 10000, frequency);
        var pcm = new short[samples];
        gen.Fill(pcm);
        return pcm;
    }

    private static int IndexOf(short[] haystack, short[] needle)
    {
        for (int k = 0; k + needle.Length <= haystack.Length; k++)
            if (haystack.AsSpan(k, needle.Length).SequenceEqual(needle))
                return k;
        return -1;
    }

    private static short[] ReadRaw(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var pcm = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, pcm, 0, pcm.Length * 2);
        return pcm;
    }

    [Test]
    public void File_devices_are_listed()
    {
        var devices = PortAudioHost.ListDevices();
        TestContext.Out.WriteLine(string.Join(", ", devices.Select(d => $"{d.Name} ({d.MaxInputChannels} in, {d.MaxOutputChannels} out)")));
        Assert.That(devices.Any(d => d.Name == "rtc_play" && d.MaxOutputChannels > 0), Is.True);
        Assert.That(devices.Any(d => d.Name == "rtc_capture" && d.MaxInputChannels > 0), Is.True);
    }

    [Test]
    public void Frames_pushed_through_the_sink_reach_the_device_unchanged()
    {
        var format = new AudioFormat(48000);
        var sent = Tone(50 * format.FrameSamples, 440);
        using (var sink = new PortAudioSink(format, "rtc_play"))
        {
            for (int i = 0; i < 50; i++)
                sink.WriteFrame(sent.AsSpan(i * format.FrameSamples, format.FrameSamples));
            Assert.That(sink.Frames, Is.EqualTo(50));
        }
        var played = ReadRaw(PlayedFile);
        TestContext.Out.WriteLine($"device file holds {played.Length} samples for {sent.Length} sent");
        Assert.That(IndexOf(played, sent), Is.GreaterThanOrEqualTo(0), "the device received the exact samples in order");
    }

    [Test]
    public void Frames_read_from_the_source_are_the_device_input()
    {
        var format = new AudioFormat(48000);
        var input = CaptureInput;
        var captured = new short[25 * format.FrameSamples];
        using (var source = new PortAudioSource(format, "rtc_capture"))
        {
            for (int i = 0; i < 25; i++)
                Assert.That(source.ReadFrame(captured.AsSpan(i * format.FrameSamples, format.FrameSamples)), Is.True);
        }
        // The capture starts at the beginning of the input file; find where our first read began in it.
        int firstNonZero = Array.FindIndex(captured, s => s != 0);
        Assert.That(firstNonZero, Is.GreaterThanOrEqualTo(0), "captured only silence");
        var probe = captured.AsSpan(firstNonZero, 4800).ToArray();
        Assert.That(IndexOf(input, probe), Is.GreaterThanOrEqualTo(0), "captured samples come from the device input");
    }
}
