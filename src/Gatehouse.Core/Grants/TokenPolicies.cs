using Gatehouse.Core.Access;
using Gatehouse.Core.Claims;
using Gatehouse.Core.Membership;

namespace Gatehouse.Core.Grants;

/// <summary>The steps between a grant's decision and the tokens that concern who the user is: access rules, claims, and the user they read.</summary>
public sealed record TokenPolicies(LoginSubjects Subjects, AccessPolicy Access, ClaimsPolicy Claims, RecentGroups RecentGroups);
