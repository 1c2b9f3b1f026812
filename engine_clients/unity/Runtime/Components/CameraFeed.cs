using System;
using System.Runtime.InteropServices;
using Unity.Collections;
using UnityEngine;
using UnityEngine.Rendering;
using VRPerception.Core;

namespace VRPerception.Unity
{
    /// <summary>Where a component takes its camera images from.</summary>
    public enum FeedSource
    {
        /// <summary>A device camera through WebCamTexture.</summary>
        WebCam,
        /// <summary>A RenderTexture, for example a virtual camera or a passthrough feed.</summary>
        RenderTexture,
    }

    /// <summary>Whether frames are reported to the server as mirror images.</summary>
    public enum MirrorMode
    {
        /// <summary>Front (selfie) cameras are mirrored, others are not.</summary>
        Auto,
        Mirrored,
        NotMirrored,
    }

    /// <summary>
    /// Captures camera images as <see cref="PackedFrame"/> values on the main
    /// thread, from a WebCamTexture or a RenderTexture, with their orientation.
    /// </summary>
    [Serializable]
    public sealed class CameraFeed
    {
        [Tooltip("WebCam: a device camera; RenderTexture: the texture below.")]
        public FeedSource source = FeedSource.WebCam;

        [Tooltip("WebCamTexture device name; empty picks the first device.")]
        public string deviceName = "";

        [Tooltip("Requested camera size in pixels; the device may pick another.")]
        public int requestedWidth = 640;

        public int requestedHeight = 480;

        [Tooltip("Requested camera frame rate in frames per second.")]
        public int requestedFps = 30;

        public MirrorMode mirror = MirrorMode.Auto;

        [Tooltip("Texture to read when the source is RenderTexture.")]
        public RenderTexture renderTexture;

        [Tooltip("Report RenderTexture read-backs as top-down rows instead of Unity's bottom-up order.")]
        public bool renderTextureRowsTopDown;

        private WebCamTexture webCam;
        private bool frontFacing;
        private Color32[] pixels;
        private byte[] pixelBytes;
        private byte[] readbackBytes;
        private int readbackWidth;
        private int readbackHeight;
        private bool readbackReady;
        private bool readbackPending;
        private Texture2D readbackFallback;

        /// <summary>Texture to show as a preview (the WebCamTexture or the RenderTexture), or null before Start.</summary>
        public Texture PreviewTexture
        {
            get { return source == FeedSource.WebCam ? (Texture)webCam : renderTexture; }
        }

        /// <summary>Orientation of the last captured frame.</summary>
        public CameraOrientation LastOrientation { get; private set; }

        /// <summary>Starts the camera; for a RenderTexture source only checks that one is set.</summary>
        /// <exception cref="InvalidOperationException">When no camera or texture is available.</exception>
        public void Start()
        {
            if (source == FeedSource.RenderTexture)
            {
                if (renderTexture == null)
                {
                    throw new InvalidOperationException("camera feed source is RenderTexture but no renderTexture is assigned");
                }
                return;
            }

            var devices = WebCamTexture.devices;
            if (devices.Length == 0)
            {
                throw new InvalidOperationException("no camera found (WebCamTexture.devices is empty)");
            }
            var device = devices[0];
            if (!string.IsNullOrEmpty(deviceName))
            {
                device = Array.Find(devices, d => d.name == deviceName);
                if (device.name == null)
                {
                    throw new InvalidOperationException(string.Format(
                        "camera '{0}' not found; available: {1}", deviceName,
                        string.Join(", ", Array.ConvertAll(devices, d => d.name))));
                }
            }
            frontFacing = device.isFrontFacing;
            webCam = new WebCamTexture(device.name, requestedWidth, requestedHeight, requestedFps);
            webCam.Play();
        }

        /// <summary>Stops the camera and releases textures.</summary>
        public void Stop()
        {
            if (webCam != null)
            {
                webCam.Stop();
                UnityEngine.Object.Destroy(webCam);
                webCam = null;
            }
            if (readbackFallback != null)
            {
                UnityEngine.Object.Destroy(readbackFallback);
                readbackFallback = null;
            }
            readbackReady = false;
        }

        /// <summary>
        /// Returns the newest camera image if one arrived since the last call.
        /// The frame's buffer is reused by the next call, so convert it at once.
        /// </summary>
        public bool TryCapture(out PackedFrame frame)
        {
            frame = null;
            return source == FeedSource.WebCam ? TryCaptureWebCam(out frame) : TryCaptureRenderTexture(out frame);
        }

        private bool TryCaptureWebCam(out PackedFrame frame)
        {
            frame = null;
            // Until the first frame arrives WebCamTexture reports a 16x16 placeholder.
            if (webCam == null || !webCam.isPlaying || !webCam.didUpdateThisFrame || webCam.width <= 16)
            {
                return false;
            }

            int count = webCam.width * webCam.height;
            if (pixels == null || pixels.Length != count)
            {
                pixels = new Color32[count];
                pixelBytes = new byte[count * 4];
            }
            webCam.GetPixels32(pixels);
            CopyColor32ToBytes(pixels, pixelBytes);

            bool mirrored = mirror == MirrorMode.Auto ? frontFacing : mirror == MirrorMode.Mirrored;
            LastOrientation = FramePacker.OrientationFromWebCam(
                webCam.videoRotationAngle, webCam.videoVerticallyMirrored, mirrored);
            frame = FramePacker.FromColor32Bytes(pixelBytes, webCam.width, webCam.height, LastOrientation);
            return true;
        }

        // Color32 is four bytes (r, g, b, a) with no padding, so the array copies as raw memory.
        private static void CopyColor32ToBytes(Color32[] source, byte[] target)
        {
            var handle = GCHandle.Alloc(source, GCHandleType.Pinned);
            try
            {
                Marshal.Copy(handle.AddrOfPinnedObject(), target, 0, target.Length);
            }
            finally
            {
                handle.Free();
            }
        }

        private bool TryCaptureRenderTexture(out PackedFrame frame)
        {
            frame = null;
            if (renderTexture == null)
            {
                return false;
            }
            if (!SystemInfo.supportsAsyncGPUReadback)
            {
                ReadRenderTextureNow();
            }
            else if (!readbackPending && !readbackReady)
            {
                readbackPending = true;
                AsyncGPUReadback.Request(renderTexture, 0, TextureFormat.RGBA32, OnReadback);
            }
            if (!readbackReady)
            {
                return false;
            }

            readbackReady = false;
            LastOrientation = new CameraOrientation(
                renderTextureRowsTopDown ? RowOrder.TopDown : RowOrder.BottomUp, FrameRotation.Deg0,
                mirror == MirrorMode.Mirrored);
            frame = FramePacker.Pack(readbackBytes, readbackWidth, readbackHeight, 0, PixelFormat.Rgba8, LastOrientation);
            return true;
        }

        // NOTE: this assumes AsyncGPUReadback returns rows bottom-up, as
        // Texture2D stores them. That is not checked on every graphics API, so
        // renderTextureRowsTopDown corrects one that differs.
        private void OnReadback(AsyncGPUReadbackRequest request)
        {
            readbackPending = false;
            if (request.hasError)
            {
                Debug.LogWarning("VRPerception: GPU read-back of the render texture failed; retrying next frame");
                return;
            }
            NativeArray<byte> data = request.GetData<byte>();
            if (readbackBytes == null || readbackBytes.Length != data.Length)
            {
                readbackBytes = new byte[data.Length];
            }
            data.CopyTo(readbackBytes);
            readbackWidth = request.width;
            readbackHeight = request.height;
            readbackReady = true;
        }

        // Synchronous path for platforms without AsyncGPUReadback; it stalls the GPU.
        private void ReadRenderTextureNow()
        {
            int width = renderTexture.width;
            int height = renderTexture.height;
            if (readbackFallback == null || readbackFallback.width != width || readbackFallback.height != height)
            {
                if (readbackFallback != null)
                {
                    UnityEngine.Object.Destroy(readbackFallback);
                }
                readbackFallback = new Texture2D(width, height, TextureFormat.RGBA32, false);
            }
            var previous = RenderTexture.active;
            RenderTexture.active = renderTexture;
            readbackFallback.ReadPixels(new Rect(0, 0, width, height), 0, 0, false);
            RenderTexture.active = previous;

            readbackBytes = readbackFallback.GetRawTextureData();
            readbackWidth = width;
            readbackHeight = height;
            readbackReady = true;
        }
    }
}
