using System;
using System.Collections.Generic;
using NUnit.Framework;

namespace VRPerception.Core.Tests
{
    [TestFixture]
    public class FramePackingTests
    {
        public static IEnumerable<TestCaseData> PackingCases()
        {
            foreach (var c in TestVectors.Cases("frame_packing"))
            {
                yield return new TestCaseData(c).SetName("Packing_" + c["name"]);
            }
        }

        private static PixelFormat ParseFormat(string name)
        {
            switch (name)
            {
                case "RGBA8": return PixelFormat.Rgba8;
                case "BGRA8": return PixelFormat.Bgra8;
                case "RGB8": return PixelFormat.Rgb8;
                case "GRAY8": return PixelFormat.Gray8;
                default: throw new ArgumentException("unknown pixel_format " + name);
            }
        }

        private static string EncodingName(PixelFormat format)
        {
            switch (format)
            {
                case PixelFormat.Rgba8: return "IMAGE_ENCODING_RAW_RGBA8";
                case PixelFormat.Bgra8: return "IMAGE_ENCODING_RAW_BGRA8";
                case PixelFormat.Rgb8: return "IMAGE_ENCODING_RAW_RGB8";
                default: return "IMAGE_ENCODING_RAW_GRAY8";
            }
        }

        private static PackedFrame PackSource(Dictionary<string, object> source)
        {
            var orientation = new CameraOrientation(
                (bool)source["bottom_up"] ? RowOrder.BottomUp : RowOrder.TopDown, FrameRotation.Deg0, false);
            return FramePacker.Pack(
                TestVectors.FromHex((string)source["data_hex"]),
                (int)(double)source["width"],
                (int)(double)source["height"],
                (int)(double)source["row_stride_bytes"],
                ParseFormat((string)source["pixel_format"]),
                orientation);
        }

        [TestCaseSource("PackingCases")]
        public void FrameFieldsMatchVector(Dictionary<string, object> c)
        {
            var expected = (Dictionary<string, object>)c["frame"];

            var frame = PackSource((Dictionary<string, object>)c["source"]);

            Assert.AreEqual((string)expected["encoding"], EncodingName(frame.Format), "encoding");
            Assert.AreEqual((int)(double)expected["width"], frame.Width, "width");
            Assert.AreEqual((int)(double)expected["height"], frame.Height, "height");
            Assert.AreEqual((int)(double)expected["row_stride_bytes"], frame.RowStrideBytes, "row_stride_bytes");
            string rowOrder = frame.RowOrder == RowOrder.BottomUp ? "ROW_ORDER_BOTTOM_UP" : "ROW_ORDER_TOP_DOWN";
            Assert.AreEqual((string)expected["row_order"], rowOrder, "row_order");
            byte[] sent = new byte[frame.Length];
            Array.Copy(frame.Data, sent, frame.Length);
            Assert.AreEqual(TestVectors.FromHex((string)expected["data_hex"]), sent, "data");
        }

        [TestCaseSource("PackingCases")]
        public void DecodedImageMatchesVector(Dictionary<string, object> c)
        {
            var rows = (List<object>)c["decoded_rgb_top_down"];
            var frame = PackSource((Dictionary<string, object>)c["source"]);

            byte[] rgb = FramePacker.DecodeToRgbTopDown(frame);

            int index = 0;
            for (int y = 0; y < rows.Count; y++)
            {
                var row = (List<object>)rows[y];
                for (int x = 0; x < row.Count; x++)
                {
                    var pixel = (List<object>)row[x];
                    for (int channel = 0; channel < 3; channel++)
                    {
                        Assert.AreEqual((byte)(double)pixel[channel], rgb[index++],
                            string.Format("pixel ({0}, {1}) channel {2}", x, y, channel));
                    }
                }
            }
            Assert.AreEqual(rgb.Length, index, "decoded size");
        }

        [Test]
        public void MipmappedDataCutToLevelZero()
        {
            // A 4x2 RGBA32 texture with mipmaps: 32 bytes of level 0, then 8 + 4 bytes of levels 1 and 2.
            var data = new byte[32 + 8 + 4];

            var frame = FramePacker.FromRawTextureData(data, 4, 2, PixelFormat.Rgba8);

            Assert.AreEqual(32, frame.Length);
            Assert.AreEqual(0, frame.RowStrideBytes);
            Assert.AreEqual(RowOrder.BottomUp, frame.RowOrder);
        }

        [Test]
        public void BufferWithoutLastRowPaddingIsAccepted()
        {
            // 2 rows of 3 RGB pixels (9 bytes) with a 12-byte stride; the last row's padding is missing.
            var data = new byte[12 + 9];

            var frame = FramePacker.Pack(data, 3, 2, 12, PixelFormat.Rgb8, new CameraOrientation());

            Assert.AreEqual(21, frame.Length);
            Assert.AreEqual(12, frame.RowStrideBytes);
        }

        [Test]
        public void ShortBufferIsRejected()
        {
            var error = Assert.Throws<ArgumentException>(
                () => FramePacker.Pack(new byte[31], 4, 2, 0, PixelFormat.Rgba8, new CameraOrientation()));
            StringAssert.Contains("31 bytes", error.Message);
            StringAssert.Contains("needs 32", error.Message);
        }

        [Test]
        public void StrideShorterThanRowIsRejected()
        {
            var error = Assert.Throws<ArgumentException>(
                () => FramePacker.Pack(new byte[64], 4, 2, 12, PixelFormat.Rgba8, new CameraOrientation()));
            StringAssert.Contains("row stride 12", error.Message);
        }

        [Test]
        public void NonPositiveSizeIsRejected()
        {
            Assert.Throws<ArgumentException>(
                () => FramePacker.Pack(new byte[16], 0, 2, 0, PixelFormat.Rgba8, new CameraOrientation()));
            Assert.Throws<ArgumentException>(
                () => FramePacker.Pack(new byte[16], 2, -1, 0, PixelFormat.Rgba8, new CameraOrientation()));
        }

        [Test]
        public void WebCamOrientationUprightBackCamera()
        {
            var orientation = FramePacker.OrientationFromWebCam(0, false, false);

            Assert.AreEqual(RowOrder.BottomUp, orientation.RowOrder);
            Assert.AreEqual(FrameRotation.Deg0, orientation.Rotation);
            Assert.IsFalse(orientation.Mirrored);
        }

        [Test]
        public void WebCamOrientationPortraitFrontCamera()
        {
            var orientation = FramePacker.OrientationFromWebCam(270, false, true);

            Assert.AreEqual(RowOrder.BottomUp, orientation.RowOrder);
            Assert.AreEqual(FrameRotation.Deg270, orientation.Rotation);
            Assert.IsTrue(orientation.Mirrored);
        }

        [Test]
        public void WebCamVerticalMirrorFlipsRowOrder()
        {
            var orientation = FramePacker.OrientationFromWebCam(90, true, false);

            Assert.AreEqual(RowOrder.TopDown, orientation.RowOrder);
            Assert.AreEqual(FrameRotation.Deg90, orientation.Rotation);
            Assert.IsFalse(orientation.Mirrored);
        }

        [Test]
        public void RotationDegreesNormalized()
        {
            Assert.AreEqual(FrameRotation.Deg270, FramePacker.RotationFromDegrees(-90));
            Assert.AreEqual(FrameRotation.Deg0, FramePacker.RotationFromDegrees(360));
            Assert.AreEqual(FrameRotation.Deg180, FramePacker.RotationFromDegrees(540));
            Assert.Throws<ArgumentException>(() => FramePacker.RotationFromDegrees(45));
        }

        [Test]
        public void Color32BytesKeepOrientation()
        {
            var data = new byte[2 * 2 * 4];
            var orientation = new CameraOrientation(RowOrder.BottomUp, FrameRotation.Deg90, true);

            var frame = FramePacker.FromColor32Bytes(data, 2, 2, orientation);

            Assert.AreSame(data, frame.Data, "no copy");
            Assert.AreEqual(PixelFormat.Rgba8, frame.Format);
            Assert.AreEqual(FrameRotation.Deg90, frame.Rotation);
            Assert.IsTrue(frame.Mirrored);
        }

        [Test]
        public void GrayDecodesToEqualChannels()
        {
            var data = new byte[] { 10, 20, 30, 40 };
            var frame = FramePacker.Pack(data, 2, 2, 0, PixelFormat.Gray8, new CameraOrientation(RowOrder.BottomUp, FrameRotation.Deg0, false));

            byte[] rgb = FramePacker.DecodeToRgbTopDown(frame);

            Assert.AreEqual(new byte[] { 30, 30, 30, 40, 40, 40, 10, 10, 10, 20, 20, 20 }, rgb);
        }
    }
}
