namespace Turn.Protocol.Tests;

/// <summary>
/// A capture under Captures/: lines "&lt;udp|tcp&gt; &lt;c2s|s2c&gt; &lt;hex&gt;", '#' comments.
/// UDP lines are datagrams; TCP lines are reads, so a direction's TCP bytes form one stream.
/// </summary>
internal sealed record CaptureFile(string Name, IReadOnlyList<CaptureFile.Packet> Packets)
{
    public sealed record Packet(bool Tcp, bool ClientToServer, byte[] Bytes);

    public static CaptureFile Load(string name)
    {
        var packets = new List<Packet>();
        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Captures", name + ".hex")))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            string[] parts = line.Split(' ');
            packets.Add(new Packet(parts[0] == "tcp", parts[1] == "c2s", Convert.FromHexString(parts[2])));
        }
        return new CaptureFile(name, packets);
    }

    /// <summary>The messages of one direction: datagrams as they are, TCP streams cut into frames.</summary>
    public List<byte[]> Messages(bool clientToServer)
    {
        var selected = Packets.Where(p => p.ClientToServer == clientToServer).ToList();
        if (selected.Count == 0 || !selected[0].Tcp) return selected.Select(p => p.Bytes).ToList();

        byte[] stream = selected.SelectMany(p => p.Bytes).ToArray();
        var frames = new List<byte[]>();
        int offset = 0;
        while (offset < stream.Length)
        {
            var status = StreamFraming.TryGetFrameLength(stream.AsSpan(offset), out _, out int length);
            if (status != StreamFrameStatus.Frame || offset + length > stream.Length)
                throw new InvalidDataException($"{Name}: stream does not frame at offset {offset} ({status}).");
            frames.Add(stream[offset..(offset + length)]);
            offset += length;
        }
        return frames;
    }
}
