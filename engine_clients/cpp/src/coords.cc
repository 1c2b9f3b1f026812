#include "vrperception/coords.h"

namespace vrperception {
namespace coords {

Vec3 OpenCvToUnity(const Vec3& p) { return {p.x, -p.y, p.z}; }
Vec3 UnityToOpenCv(const Vec3& p) { return {p.x, -p.y, p.z}; }

Vec3 OpenCvToUnrealCm(const Vec3& p) {
  const double s = kUnrealUnitsPerMetre;
  return {s * p.z, s * p.x, -s * p.y};
}

Vec3 UnrealCmToOpenCv(const Vec3& p) {
  const double s = kUnrealUnitsPerMetre;
  return {p.y / s, -p.z / s, p.x / s};
}

// The axis changes are reflections, so the quaternion's vector part maps to
// -(M v) while w stays (see the header).
Quat OpenCvToUnity(const Quat& q) { return {-q.x, q.y, -q.z, q.w}; }
Quat UnityToOpenCv(const Quat& q) { return {-q.x, q.y, -q.z, q.w}; }
Quat OpenCvToUnreal(const Quat& q) { return {-q.z, -q.x, q.y, q.w}; }
Quat UnrealToOpenCv(const Quat& q) { return {-q.y, q.z, -q.x, q.w}; }

Pose OpenCvToUnity(const Pose& pose) {
  return {OpenCvToUnity(pose.position), OpenCvToUnity(pose.rotation)};
}
Pose UnityToOpenCv(const Pose& pose) {
  return {UnityToOpenCv(pose.position), UnityToOpenCv(pose.rotation)};
}
Pose OpenCvToUnrealCm(const Pose& pose) {
  return {OpenCvToUnrealCm(pose.position), OpenCvToUnreal(pose.rotation)};
}
Pose UnrealCmToOpenCv(const Pose& pose) {
  return {UnrealCmToOpenCv(pose.position), UnrealToOpenCv(pose.rotation)};
}

Vec3 Rotate(const Quat& q, const Vec3& p) {
  // p + w t + q_v x t with t = 2 (q_v x p), the expanded form of q p q^-1.
  const double tx = 2.0 * (q.y * p.z - q.z * p.y);
  const double ty = 2.0 * (q.z * p.x - q.x * p.z);
  const double tz = 2.0 * (q.x * p.y - q.y * p.x);
  return {p.x + q.w * tx + (q.y * tz - q.z * ty),
          p.y + q.w * ty + (q.z * tx - q.x * tz),
          p.z + q.w * tz + (q.x * ty - q.y * tx)};
}

Vec3 Apply(const Pose& pose, const Vec3& p) {
  const Vec3 r = Rotate(pose.rotation, p);
  return {r.x + pose.position.x, r.y + pose.position.y, r.z + pose.position.z};
}

Vec2 NormalizedToUnityViewport(const Vec2& n) { return {n.x, 1.0 - n.y}; }

Vec2 NormalizedToUnityPixels(const Vec2& n, double width_px, double height_px) {
  return {n.x * width_px, (1.0 - n.y) * height_px};
}

Vec2 NormalizedToUnrealUv(const Vec2& n) { return n; }

Vec2 NormalizedToUnrealPixels(const Vec2& n, double width_px, double height_px) {
  return {n.x * width_px, n.y * height_px};
}

}  // namespace coords
}  // namespace vrperception
