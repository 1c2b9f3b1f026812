using System;
using System.Collections.Generic;

namespace VRPerception.Core
{
    /// <summary>
    /// Cuts a stream of float samples into AudioChunk payloads of a fixed
    /// duration, encoded as AUDIO_ENCODING_FLOAT32LE.
    /// </summary>
    /// <remarks>
    /// The protocol accepts chunks of 10 ms to 1 s whose size is a whole number
    /// of frames (one sample per channel). Samples are clamped to [-1, 1].
    /// Not thread-safe.
    /// </remarks>
    public sealed class AudioChunker
    {
        public const int MinChunkMs = 10;
        public const int MaxChunkMs = 1000;
        private const int BytesPerSample = 4;

        private readonly int channels;
        private readonly int chunkSamples;
        private readonly int minFlushSamples;
        private readonly float[] buffer;
        private int buffered;

        /// <param name="sampleRateHz">Samples per second per channel, for example 16000 or 48000.</param>
        /// <param name="channels">1 or 2, interleaved.</param>
        /// <param name="chunkMs">Duration of each chunk, 10 to 1000 ms; it must be a whole number of frames.</param>
        public AudioChunker(int sampleRateHz, int channels, int chunkMs)
        {
            if (sampleRateHz <= 0)
            {
                throw new ArgumentOutOfRangeException("sampleRateHz", sampleRateHz, "must be > 0 Hz");
            }
            if (channels != 1 && channels != 2)
            {
                throw new ArgumentOutOfRangeException("channels", channels, "must be 1 or 2");
            }
            if (chunkMs < MinChunkMs || chunkMs > MaxChunkMs)
            {
                throw new ArgumentOutOfRangeException("chunkMs", chunkMs, "must be 10 to 1000 ms");
            }
            if ((long)sampleRateHz * chunkMs % 1000 != 0)
            {
                throw new ArgumentException(string.Format(
                    "{0} ms at {1} Hz is not a whole number of frames; pick a chunk length that is", chunkMs, sampleRateHz));
            }

            this.channels = channels;
            SampleRateHz = sampleRateHz;
            ChunkMs = chunkMs;
            chunkSamples = (int)((long)sampleRateHz * chunkMs / 1000) * channels;
            minFlushSamples = (int)(((long)sampleRateHz * MinChunkMs + 999) / 1000) * channels;
            buffer = new float[chunkSamples];
        }

        public int SampleRateHz { get; private set; }

        public int ChunkMs { get; private set; }

        /// <summary>Samples (all channels) waiting for the next chunk.</summary>
        public int BufferedSamples
        {
            get { return buffered; }
        }

        /// <summary>
        /// Appends interleaved samples and returns the chunks they completed,
        /// each <c>ChunkMs</c> long, oldest first.
        /// </summary>
        public List<byte[]> Append(float[] samples, int offset, int count)
        {
            if (samples == null)
            {
                throw new ArgumentNullException("samples");
            }
            if (offset < 0 || count < 0 || offset + count > samples.Length)
            {
                throw new ArgumentOutOfRangeException("count", count, "offset and count must lie within samples");
            }

            var chunks = new List<byte[]>();
            while (count > 0)
            {
                int take = Math.Min(count, chunkSamples - buffered);
                Array.Copy(samples, offset, buffer, buffered, take);
                buffered += take;
                offset += take;
                count -= take;
                if (buffered == chunkSamples)
                {
                    chunks.Add(EncodeFloat32LittleEndian(buffer, 0, buffered));
                    buffered = 0;
                }
            }
            return chunks;
        }

        /// <summary>
        /// Returns the buffered remainder as one chunk, padded with silence to
        /// the 10 ms minimum and cut to whole frames, or null when nothing is
        /// buffered. Call it when push-to-talk ends so no speech stays behind.
        /// </summary>
        public byte[] Flush()
        {
            if (buffered == 0)
            {
                return null;
            }
            int length = buffered - buffered % channels;
            if (length < minFlushSamples)
            {
                Array.Clear(buffer, length, minFlushSamples - length);
                length = minFlushSamples;
            }
            var chunk = EncodeFloat32LittleEndian(buffer, 0, length);
            buffered = 0;
            return chunk;
        }

        /// <summary>Drops buffered samples.</summary>
        public void Clear()
        {
            buffered = 0;
        }

        /// <summary>Encodes samples as 32-bit IEEE floats, little-endian, clamped to [-1, 1].</summary>
        public static byte[] EncodeFloat32LittleEndian(float[] samples, int offset, int count)
        {
            var bytes = new byte[count * BytesPerSample];
            for (int i = 0; i < count; i++)
            {
                float sample = samples[offset + i];
                // NaN fails both comparisons and would reach the server as NaN; send silence instead.
                if (!(sample >= -1f))
                {
                    sample = float.IsNaN(sample) ? 0f : -1f;
                }
                else if (sample > 1f)
                {
                    sample = 1f;
                }
                WriteFloat(bytes, i * BytesPerSample, sample);
            }
            return bytes;
        }

        private static void WriteFloat(byte[] target, int index, float sample)
        {
            var raw = BitConverter.GetBytes(sample);
            if (!BitConverter.IsLittleEndian)
            {
                Array.Reverse(raw);
            }
            Buffer.BlockCopy(raw, 0, target, index, BytesPerSample);
        }

        /// <summary>
        /// Returns how many samples per channel were recorded between two reads of
        /// Microphone.GetPosition on a looping clip of <paramref name="clipSamples"/>
        /// samples per channel, allowing for the position wrapping around.
        /// </summary>
        public static int SamplesSince(int lastPosition, int currentPosition, int clipSamples)
        {
            if (clipSamples <= 0)
            {
                throw new ArgumentOutOfRangeException("clipSamples", clipSamples, "must be > 0");
            }
            return ((currentPosition - lastPosition) % clipSamples + clipSamples) % clipSamples;
        }
    }
}
