using System;
using NUnit.Framework;

namespace VRPerception.Core.Tests
{
    [TestFixture]
    public class AudioChunkerTests
    {
        private static float ReadFloat(byte[] bytes, int sampleIndex)
        {
            var raw = new byte[4];
            Array.Copy(bytes, sampleIndex * 4, raw, 0, 4);
            if (!BitConverter.IsLittleEndian)
            {
                Array.Reverse(raw);
            }
            return BitConverter.ToSingle(raw, 0);
        }

        [Test]
        public void ChunksHaveConfiguredDuration()
        {
            // 100 ms at 16 kHz mono is 1600 samples, 6400 bytes.
            var chunker = new AudioChunker(16000, 1, 100);
            var samples = new float[4000];
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = i / 4000f;
            }

            var chunks = chunker.Append(samples, 0, samples.Length);

            Assert.AreEqual(2, chunks.Count);
            Assert.AreEqual(6400, chunks[0].Length);
            Assert.AreEqual(800, chunker.BufferedSamples);
            Assert.AreEqual(samples[1600], ReadFloat(chunks[1], 0), "second chunk starts at sample 1600");
        }

        [Test]
        public void AppendAcrossCallsKeepsOrder()
        {
            var chunker = new AudioChunker(16000, 1, 10);
            var first = new float[100];
            var second = new float[100];
            for (int i = 0; i < 100; i++)
            {
                first[i] = 0.001f * i;
                second[i] = -0.001f * i;
            }

            Assert.AreEqual(0, chunker.Append(first, 0, 100).Count);
            var chunks = chunker.Append(second, 0, 100);

            Assert.AreEqual(1, chunks.Count);
            Assert.AreEqual(first[99], ReadFloat(chunks[0], 99));
            Assert.AreEqual(second[59], ReadFloat(chunks[0], 159));
            Assert.AreEqual(40, chunker.BufferedSamples);
        }

        [Test]
        public void FlushPadsToMinimumChunk()
        {
            var chunker = new AudioChunker(48000, 2, 100);
            chunker.Append(new float[] { 0.5f, -0.5f, 0.25f, -0.25f }, 0, 4);

            byte[] chunk = chunker.Flush();

            // 10 ms at 48 kHz stereo is 960 samples.
            Assert.AreEqual(960 * 4, chunk.Length);
            Assert.AreEqual(0.25f, ReadFloat(chunk, 2));
            Assert.AreEqual(0f, ReadFloat(chunk, 959), "padding is silence");
            Assert.IsNull(chunker.Flush(), "nothing left after a flush");
        }

        [Test]
        public void FlushDropsPartialFrame()
        {
            var chunker = new AudioChunker(16000, 2, 100);
            var samples = new float[2 * 200 + 1];
            chunker.Append(samples, 0, samples.Length);

            byte[] chunk = chunker.Flush();

            Assert.AreEqual(400 * 4, chunk.Length, "whole stereo frames only");
        }

        [Test]
        public void SamplesAreClamped()
        {
            var bytes = AudioChunker.EncodeFloat32LittleEndian(new[] { 1.5f, -3f, float.NaN, 0.125f }, 0, 4);

            Assert.AreEqual(1f, ReadFloat(bytes, 0));
            Assert.AreEqual(-1f, ReadFloat(bytes, 1));
            Assert.AreEqual(0f, ReadFloat(bytes, 2));
            Assert.AreEqual(0.125f, ReadFloat(bytes, 3));
        }

        [Test]
        public void LittleEndianLayout()
        {
            var bytes = AudioChunker.EncodeFloat32LittleEndian(new[] { 1f }, 0, 1);

            // 1.0f is 0x3F800000.
            Assert.AreEqual(new byte[] { 0x00, 0x00, 0x80, 0x3F }, bytes);
        }

        [Test]
        public void MicrophonePositionWrapsAround()
        {
            Assert.AreEqual(100, AudioChunker.SamplesSince(50, 150, 16000));
            Assert.AreEqual(150, AudioChunker.SamplesSince(15900, 50, 16000));
            Assert.AreEqual(0, AudioChunker.SamplesSince(300, 300, 16000));
        }

        [Test]
        public void InvalidFormatIsRejected()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new AudioChunker(16000, 3, 100), "3 channels");
            Assert.Throws<ArgumentOutOfRangeException>(() => new AudioChunker(16000, 1, 5), "5 ms");
            Assert.Throws<ArgumentOutOfRangeException>(() => new AudioChunker(16000, 1, 2000), "2000 ms");
            Assert.Throws<ArgumentException>(() => new AudioChunker(22050, 1, 15), "fraction of a frame");
        }
    }
}
