using System;

namespace VRPerception.Core
{
    /// <summary>A 2D point or vector in double precision.</summary>
    [Serializable]
    public struct Vec2
    {
        public double X;
        public double Y;

        public Vec2(double x, double y)
        {
            X = x;
            Y = y;
        }

        public override string ToString()
        {
            return string.Format("({0:G6}, {1:G6})", X, Y);
        }
    }

    /// <summary>A 3D point or vector in double precision.</summary>
    [Serializable]
    public struct Vec3
    {
        public double X;
        public double Y;
        public double Z;

        public Vec3(double x, double y, double z)
        {
            X = x;
            Y = y;
            Z = z;
        }

        public static Vec3 operator +(Vec3 a, Vec3 b)
        {
            return new Vec3(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
        }

        public static Vec3 operator *(double s, Vec3 v)
        {
            return new Vec3(s * v.X, s * v.Y, s * v.Z);
        }

        public static Vec3 Cross(Vec3 a, Vec3 b)
        {
            return new Vec3(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);
        }

        public override string ToString()
        {
            return string.Format("({0:G6}, {1:G6}, {2:G6})", X, Y, Z);
        }
    }

    /// <summary>
    /// A rotation quaternion (Hamilton convention, W is the scalar part), the
    /// layout of the protocol's Quaternion message and of UnityEngine.Quaternion.
    /// </summary>
    [Serializable]
    public struct Quat
    {
        public double X;
        public double Y;
        public double Z;
        public double W;

        public Quat(double x, double y, double z, double w)
        {
            X = x;
            Y = y;
            Z = z;
            W = w;
        }

        public static Quat Identity
        {
            get { return new Quat(0, 0, 0, 1); }
        }

        /// <summary>Rotates point <paramref name="p"/> by this quaternion, which must be unit length.</summary>
        public Vec3 Rotate(Vec3 p)
        {
            // p' = p + 2w (v x p) + 2 v x (v x p), with v the vector part.
            var v = new Vec3(X, Y, Z);
            var t = 2.0 * Vec3.Cross(v, p);
            return p + W * t + Vec3.Cross(v, t);
        }

        public override string ToString()
        {
            return string.Format("({0:G6}, {1:G6}, {2:G6}, {3:G6})", X, Y, Z, W);
        }
    }

    /// <summary>
    /// A rigid transform: a point p of the source frame maps to
    /// Rotation * p + Position in the target frame. Position is in metres.
    /// </summary>
    [Serializable]
    public struct RigidPose
    {
        public Vec3 Position;
        public Quat Rotation;

        public RigidPose(Vec3 position, Quat rotation)
        {
            Position = position;
            Rotation = rotation;
        }

        /// <summary>Maps a point of the source frame into the target frame.</summary>
        public Vec3 TransformPoint(Vec3 p)
        {
            return Rotation.Rotate(p) + Position;
        }
    }
}
