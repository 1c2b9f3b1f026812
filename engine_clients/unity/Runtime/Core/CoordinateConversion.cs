namespace VRPerception.Core
{
    /// <summary>
    /// Conversions between the server's conventions and Unity's.
    /// </summary>
    /// <remarks>
    /// The server reports 3D values in OpenCV's camera frame (right-handed:
    /// x right, y down, z forward, metres) and 2D values normalised to the
    /// image as displayed (origin top-left, y down). Unity's camera-local
    /// frame is left-handed with Y up and Z forward, and its viewport has the
    /// origin at the bottom-left. The axis change M = diag(1, -1, 1) is a
    /// reflection and its own inverse, so every conversion here also maps
    /// Unity values back to the server's convention, for example a Unity
    /// camera pose sent as ImageFrame.camera_to_world.
    /// </remarks>
    public static class CoordinateConversion
    {
        /// <summary>Converts an OpenCV camera-frame point (metres) to Unity camera-local (metres).</summary>
        public static Vec3 OpenCvToUnityPoint(Vec3 p)
        {
            return new Vec3(p.X, -p.Y, p.Z);
        }

        /// <summary>Converts a Unity camera-local point to the OpenCV camera frame.</summary>
        public static Vec3 UnityToOpenCvPoint(Vec3 p)
        {
            return OpenCvToUnityPoint(p);
        }

        /// <summary>
        /// Converts a rotation quaternion from the OpenCV frame to Unity's.
        /// </summary>
        /// <remarks>
        /// A rotation R becomes M R M^T. Because M is a reflection the
        /// rotation axis maps to -(M v) while the angle's cosine, and so w,
        /// stays the same: [x, y, z, w] becomes [-x, y, -z, w].
        /// </remarks>
        public static Quat OpenCvToUnityRotation(Quat q)
        {
            return new Quat(-q.X, q.Y, -q.Z, q.W);
        }

        /// <summary>Converts a rotation quaternion from Unity's frame to OpenCV's.</summary>
        public static Quat UnityToOpenCvRotation(Quat q)
        {
            return OpenCvToUnityRotation(q);
        }

        /// <summary>
        /// Converts a pose whose source and target frames both follow OpenCV's
        /// axes (a marker pose in the camera, a hand in the world) to Unity's axes.
        /// </summary>
        public static RigidPose OpenCvToUnityPose(RigidPose pose)
        {
            return new RigidPose(OpenCvToUnityPoint(pose.Position), OpenCvToUnityRotation(pose.Rotation));
        }

        /// <summary>
        /// Converts a Unity pose to OpenCV's axes, for example a camera's
        /// localToWorld transform before it is sent as camera_to_world.
        /// World poses that the server computes from it come back in the same
        /// reflected world and convert back with <see cref="OpenCvToUnityPose"/>.
        /// </summary>
        public static RigidPose UnityToOpenCvPose(RigidPose pose)
        {
            return OpenCvToUnityPose(pose);
        }

        /// <summary>
        /// Converts a point normalised to the image as displayed (origin
        /// top-left, y down) to Unity viewport/UV coordinates (origin bottom-left).
        /// </summary>
        public static Vec2 NormalizedToViewport(Vec2 p)
        {
            return new Vec2(p.X, 1.0 - p.Y);
        }

        /// <summary>Converts Unity viewport/UV coordinates to the server's normalised image coordinates.</summary>
        public static Vec2 ViewportToNormalized(Vec2 viewport)
        {
            return NormalizedToViewport(viewport);
        }

        /// <summary>
        /// Maps a point normalised to the image as displayed (origin top-left,
        /// y down) into the same image turned clockwise by <paramref name="rotation"/>
        /// and then flipped left-right when <paramref name="mirror"/> is set.
        /// </summary>
        /// <remarks>
        /// Results are normalised to the camera buffer as displayed, before the
        /// frame's rotation. An app that shows the camera upright (turned by
        /// WebCamTexture.videoRotationAngle) maps landmarks with the frame's
        /// rotation to draw them over that view.
        /// </remarks>
        public static Vec2 RotateNormalized(Vec2 p, FrameRotation rotation, bool mirror = false)
        {
            Vec2 turned;
            switch (rotation)
            {
                case FrameRotation.Deg90:
                    turned = new Vec2(1.0 - p.Y, p.X);
                    break;
                case FrameRotation.Deg180:
                    turned = new Vec2(1.0 - p.X, 1.0 - p.Y);
                    break;
                case FrameRotation.Deg270:
                    turned = new Vec2(p.Y, 1.0 - p.X);
                    break;
                default:
                    turned = p;
                    break;
            }
            return mirror ? new Vec2(1.0 - turned.X, turned.Y) : turned;
        }

        /// <summary>
        /// Converts a normalised image point to Unity pixel coordinates
        /// (origin bottom-left) of an image of <paramref name="width"/> by
        /// <paramref name="height"/> pixels.
        /// </summary>
        public static Vec2 NormalizedToUnityPixels(Vec2 p, double width, double height)
        {
            var viewport = NormalizedToViewport(p);
            return new Vec2(viewport.X * width, viewport.Y * height);
        }
    }
}
