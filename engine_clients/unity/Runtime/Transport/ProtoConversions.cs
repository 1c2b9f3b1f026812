using System;
using Google.Protobuf;
using Grpc.Core;
using VRPerception.Core;
using V1 = VRPerception.V1;

namespace VRPerception.Transport
{
    /// <summary>Conversions between Core's plain types and the generated protocol messages.</summary>
    public static class ProtoConversions
    {
        /// <summary>Builds an ImageFrame from a packed frame; the pixels are copied into the message.</summary>
        public static V1.ImageFrame ToImageFrame(PackedFrame frame, ulong frameId, long captureTimeUs)
        {
            return new V1.ImageFrame
            {
                Encoding = ToEncoding(frame.Format),
                Data = ByteString.CopyFrom(frame.Data, 0, frame.Length),
                Width = (uint)frame.Width,
                Height = (uint)frame.Height,
                RowStrideBytes = (uint)frame.RowStrideBytes,
                RowOrder = frame.RowOrder == RowOrder.BottomUp ? V1.RowOrder.BottomUp : V1.RowOrder.TopDown,
                Rotation = ToRotation(frame.Rotation),
                Mirrored = frame.Mirrored,
                FrameId = frameId,
                CaptureTimeUs = captureTimeUs,
            };
        }

        public static V1.ImageEncoding ToEncoding(PixelFormat format)
        {
            switch (format)
            {
                case PixelFormat.Rgba8: return V1.ImageEncoding.RawRgba8;
                case PixelFormat.Bgra8: return V1.ImageEncoding.RawBgra8;
                case PixelFormat.Rgb8: return V1.ImageEncoding.RawRgb8;
                case PixelFormat.Gray8: return V1.ImageEncoding.RawGray8;
                default: throw new ArgumentOutOfRangeException("format", format, "unknown pixel format");
            }
        }

        public static V1.Rotation ToRotation(FrameRotation rotation)
        {
            switch (rotation)
            {
                case FrameRotation.Deg90: return V1.Rotation._90;
                case FrameRotation.Deg180: return V1.Rotation._180;
                case FrameRotation.Deg270: return V1.Rotation._270;
                default: return V1.Rotation._0;
            }
        }

        /// <summary>Builds pinhole intrinsics in pixels of the image as displayed.</summary>
        public static V1.CameraIntrinsics ToIntrinsics(double fx, double fy, double cx, double cy)
        {
            return new V1.CameraIntrinsics { Fx = fx, Fy = fy, Cx = cx, Cy = cy };
        }

        public static V1.Pose ToProto(RigidPose pose)
        {
            return new V1.Pose
            {
                PositionM = new V1.Vector3 { X = pose.Position.X, Y = pose.Position.Y, Z = pose.Position.Z },
                Rotation = new V1.Quaternion { X = pose.Rotation.X, Y = pose.Rotation.Y, Z = pose.Rotation.Z, W = pose.Rotation.W },
            };
        }

        /// <summary>Reads a Pose message; an unset message (null) gives false.</summary>
        public static bool TryFromProto(V1.Pose pose, out RigidPose result)
        {
            result = new RigidPose(new Vec3(), Quat.Identity);
            if (pose == null || pose.Rotation == null)
            {
                return false;
            }
            var position = pose.PositionM ?? new V1.Vector3();
            result = new RigidPose(
                new Vec3(position.X, position.Y, position.Z),
                new Quat(pose.Rotation.X, pose.Rotation.Y, pose.Rotation.Z, pose.Rotation.W));
            return true;
        }

        public static HandEventData ToHandEvent(V1.HandEvent e)
        {
            return new HandEventData(
                (HandEventKind)(int)e.Type,
                e.TrackingId,
                (HandSide)(int)e.Handedness,
                (int)e.Gesture,
                e.GestureName);
        }

        public static V1.Vocabulary ToProto(VocabularyDefinition definition)
        {
            var vocabulary = new V1.Vocabulary();
            foreach (var command in definition.Commands)
            {
                var message = new V1.CommandDefinition { Id = command.Id ?? "" };
                message.Phrases.AddRange(command.Phrases);
                vocabulary.Commands.Add(message);
            }
            foreach (var slot in definition.SlotTypes)
            {
                var message = new V1.SlotType { Name = slot.Name ?? "" };
                message.Values.AddRange(slot.Values);
                vocabulary.SlotTypes.Add(message);
            }
            return vocabulary;
        }

        public static RpcStatusCode ToRpcStatusCode(StatusCode code)
        {
            return (RpcStatusCode)(int)code;
        }
    }
}
