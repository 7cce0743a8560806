using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Management;

/// <summary>Maps expected refusals (validation, store outcomes) to Auth0's error body; nothing a client sends becomes a 500.</summary>
internal static class ManagementErrorsFilter
{
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        try
        {
            return await next(invocation);
        }
        catch (ManagementException e)
        {
            return ManagementResults.Error(e);
        }
        catch (AdminException e)
        {
            return ManagementResults.Error(ManagementException.From(e));
        }
        catch (StoreException e) when (e.Error == StoreError.NotFound)
        {
            return ManagementResults.Error(404, "The resource does not exist.", "inexistent_entity");
        }
        catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
        {
            return ManagementResults.Error(409, "The resource already exists.", "conflict");
        }
        catch (StoreException e) when (e.Error == StoreError.Conflict)
        {
            return ManagementResults.Error(409, "The resource was changed by another request; retry.", "conflict");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            // A chunked body went past Kestrel's MaxRequestBodySize while being read.
            return ManagementResults.Error(413, $"Payload content length greater than maximum allowed: {JsonBody.MaxBytes}", "payload_too_large");
        }
        catch (BadHttpRequestException e)
        {
            return ManagementResults.Error(e.StatusCode, "Invalid request payload", "invalid_body");
        }
    }
}
