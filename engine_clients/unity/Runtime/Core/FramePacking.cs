using System;

namespace VRPerception.Core
{
    /// <summary>Pixel layout of a raw frame, matching the protocol's raw ImageEncoding values.</summary>
    public enum PixelFormat
    {
        /// <summary>4 bytes per pixel, R G B A (TextureFormat.RGBA32, Color32[]).</summary>
        Rgba8,
        /// <summary>4 bytes per pixel, B G R A (TextureFormat.BGRA32, many GPU read-backs).</summary>
        Bgra8,
        /// <summary>3 bytes per pixel, R G B (TextureFormat.RGB24).</summary>
        Rgb8,
        /// <summary>1 byte per pixel, luminance (TextureFormat.R8, Alpha8).</summary>
        Gray8,
    }

    /// <summary>Order of rows in memory.</summary>
    public enum RowOrder
    {
        /// <summary>The first row in memory is the top of the image.</summary>
        TopDown,
        /// <summary>The first row in memory is the bottom of the image, as Unity textures store it.</summary>
        BottomUp,
    }

    /// <summary>Clockwise rotation that turns the image as displayed into an upright view.</summary>
    public enum FrameRotation
    {
        Deg0 = 0,
        Deg90 = 90,
        Deg180 = 180,
        Deg270 = 270,
    }

    /// <summary>How a camera image is oriented relative to an upright, unmirrored view.</summary>
    public struct CameraOrientation
    {
        public RowOrder RowOrder;
        public FrameRotation Rotation;
        public bool Mirrored;

        public CameraOrientation(RowOrder rowOrder, FrameRotation rotation, bool mirrored)
        {
            RowOrder = rowOrder;
            Rotation = rotation;
            Mirrored = mirrored;
        }
    }

    /// <summary>
    /// A raw frame ready for ImageFrame: the engine's buffer unchanged plus the
    /// fields that tell the server how to read it.
    /// </summary>
    public sealed class PackedFrame
    {
        public PixelFormat Format;
        /// <summary>Pixel data; rows may carry padding, which the server ignores.</summary>
        public byte[] Data;
        /// <summary>Number of bytes of <see cref="Data"/>, from its start, that belong to the frame.</summary>
        public int Length;
        public int Width;
        public int Height;
        /// <summary>Bytes from one row to the next; 0 when rows are tightly packed.</summary>
        public int RowStrideBytes;
        public RowOrder RowOrder;
        public FrameRotation Rotation;
        public bool Mirrored;
    }

    /// <summary>
    /// Packs engine pixel buffers into <see cref="PackedFrame"/> values without
    /// copying pixels, and derives orientation from WebCamTexture properties.
    /// </summary>
    public static class FramePacker
    {
        /// <summary>Returns the size of one pixel of <paramref name="format"/> in bytes.</summary>
        public static int BytesPerPixel(PixelFormat format)
        {
            switch (format)
            {
                case PixelFormat.Rgba8:
                case PixelFormat.Bgra8:
                    return 4;
                case PixelFormat.Rgb8:
                    return 3;
                case PixelFormat.Gray8:
                    return 1;
                default:
                    throw new ArgumentOutOfRangeException("format", format, "unknown pixel format");
            }
        }

        /// <summary>
        /// Wraps a pixel buffer as a frame. The buffer is referenced, not copied.
        /// </summary>
        /// <param name="data">At least rowStrideBytes * (height - 1) + width * bytes per pixel
        /// bytes; bytes after the last whole row are left out of <see cref="PackedFrame.Length"/>.</param>
        /// <param name="rowStrideBytes">Bytes from one row to the next, or 0 for width * bytes per pixel.</param>
        /// <exception cref="ArgumentException">When a size is not positive, the stride is shorter
        /// than a row or the buffer is shorter than the image.</exception>
        public static PackedFrame Pack(
            byte[] data, int width, int height, int rowStrideBytes, PixelFormat format, CameraOrientation orientation)
        {
            if (data == null)
            {
                throw new ArgumentNullException("data");
            }
            if (width <= 0 || height <= 0)
            {
                throw new ArgumentException(string.Format(
                    "invalid image size {0}x{1}: width and height must be positive", width, height));
            }

            int tightStride = width * BytesPerPixel(format);
            int stride = rowStrideBytes == 0 ? tightStride : rowStrideBytes;
            if (stride < tightStride)
            {
                throw new ArgumentException(string.Format(
                    "row stride {0} bytes is shorter than one row of {1} {2} pixels ({3} bytes)",
                    rowStrideBytes, width, format, tightStride));
            }

            // The server accepts whole strides or whole strides less the last
            // row's padding, which many capture APIs omit. Longer buffers, such
            // as GetRawTextureData of a texture with mipmaps, are cut to length.
            long complete = (long)stride * height;
            long shortest = (long)stride * (height - 1) + tightStride;
            if (data.Length < shortest)
            {
                throw new ArgumentException(string.Format(
                    "pixel buffer has {0} bytes but a {1}x{2} {3} image with a {4}-byte stride needs {5}",
                    data.Length, width, height, format, stride, complete));
            }
            int length = (int)(data.Length >= complete ? complete : shortest);

            return new PackedFrame
            {
                Format = format,
                Data = data,
                Length = length,
                Width = width,
                Height = height,
                RowStrideBytes = stride == tightStride ? 0 : stride,
                RowOrder = orientation.RowOrder,
                Rotation = orientation.Rotation,
                Mirrored = orientation.Mirrored,
            };
        }

        /// <summary>
        /// Wraps the bytes of Texture2D.GetRawTextureData() for a texture in
        /// RGBA32, BGRA32, RGB24 or R8 format. Mip level 0 comes first, so the
        /// mip levels after it fall outside <see cref="PackedFrame.Length"/>.
        /// Unity stores rows bottom-up.
        /// </summary>
        public static PackedFrame FromRawTextureData(
            byte[] rawTextureData, int width, int height, PixelFormat format,
            FrameRotation rotation = FrameRotation.Deg0, bool mirrored = false)
        {
            var orientation = new CameraOrientation(RowOrder.BottomUp, rotation, mirrored);
            return Pack(rawTextureData, width, height, 0, format, orientation);
        }

        /// <summary>
        /// Wraps the bytes of a Color32[] from WebCamTexture.GetPixels32() (R, G,
        /// B, A per pixel, rows bottom-up) with the camera's orientation.
        /// </summary>
        public static PackedFrame FromColor32Bytes(byte[] color32Bytes, int width, int height, CameraOrientation orientation)
        {
            return Pack(color32Bytes, width, height, 0, PixelFormat.Rgba8, orientation);
        }

        /// <summary>
        /// Derives the frame orientation from WebCamTexture.videoRotationAngle
        /// (degrees clockwise that make the texture upright), videoVerticallyMirrored
        /// and whether the device is a front (selfie) camera.
        /// </summary>
        /// <remarks>
        /// A vertically mirrored texture stores its rows in the opposite order,
        /// so the flip is expressed as top-down rows rather than as a mirror.
        /// Front cameras deliver a mirror image of the scene, which the
        /// protocol's mirrored flag describes.
        /// </remarks>
        /// <exception cref="ArgumentException">When the angle is not a multiple of 90 degrees.</exception>
        public static CameraOrientation OrientationFromWebCam(int videoRotationAngle, bool videoVerticallyMirrored, bool frontFacing)
        {
            var rowOrder = videoVerticallyMirrored ? RowOrder.TopDown : RowOrder.BottomUp;
            return new CameraOrientation(rowOrder, RotationFromDegrees(videoRotationAngle), frontFacing);
        }

        /// <summary>Converts a clockwise angle in degrees (any multiple of 90, negative allowed) to a rotation.</summary>
        /// <exception cref="ArgumentException">When the angle is not a multiple of 90 degrees.</exception>
        public static FrameRotation RotationFromDegrees(int degrees)
        {
            int normalized = ((degrees % 360) + 360) % 360;
            if (normalized % 90 != 0)
            {
                throw new ArgumentException(string.Format(
                    "rotation of {0} degrees is not a multiple of 90; the protocol supports 0, 90, 180 and 270", degrees));
            }
            return (FrameRotation)normalized;
        }

        /// <summary>
        /// Decodes a frame to a top-down RGB image, [height * width * 3] bytes,
        /// ignoring alpha and row padding; rotation and mirroring are not applied.
        /// This reproduces the server's first decoding step, for previews and tests.
        /// </summary>
        public static byte[] DecodeToRgbTopDown(PackedFrame frame)
        {
            int bytesPerPixel = BytesPerPixel(frame.Format);
            int stride = frame.RowStrideBytes == 0 ? frame.Width * bytesPerPixel : frame.RowStrideBytes;
            var rgb = new byte[frame.Width * frame.Height * 3];

            for (int row = 0; row < frame.Height; row++)
            {
                int sourceRow = frame.RowOrder == RowOrder.BottomUp ? frame.Height - 1 - row : row;
                int sourceOffset = sourceRow * stride;
                int targetOffset = row * frame.Width * 3;
                for (int column = 0; column < frame.Width; column++)
                {
                    int s = sourceOffset + column * bytesPerPixel;
                    int t = targetOffset + column * 3;
                    CopyPixelAsRgb(frame.Format, frame.Data, s, rgb, t);
                }
            }
            return rgb;
        }

        private static void CopyPixelAsRgb(PixelFormat format, byte[] source, int s, byte[] target, int t)
        {
            switch (format)
            {
                case PixelFormat.Rgba8:
                case PixelFormat.Rgb8:
                    target[t] = source[s];
                    target[t + 1] = source[s + 1];
                    target[t + 2] = source[s + 2];
                    break;
                case PixelFormat.Bgra8:
                    target[t] = source[s + 2];
                    target[t + 1] = source[s + 1];
                    target[t + 2] = source[s];
                    break;
                case PixelFormat.Gray8:
                    target[t] = source[s];
                    target[t + 1] = source[s];
                    target[t + 2] = source[s];
                    break;
            }
        }
    }
}
