"""FastAPI dependencies: the unit of work and the actor behind a request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from parley.domain.accounts.accounts import Actor
from parley.domain.errors import AuthenticationFailed
from parley.instance import Instance
from parley.services import accounts
from parley.services.uow import UnitOfWork

_bearer = HTTPBearer(auto_error=False, description="An API token from `parley account token`.")


def get_instance(request: Request) -> Instance:
    instance: Instance = request.app.state.instance
    return instance


def get_uow(request: Request) -> UnitOfWork:
    return get_instance(request).uow(read_only=request.method in ("GET", "HEAD"))


InstanceDep = Annotated[Instance, Depends(get_instance)]
UowDep = Annotated[UnitOfWork, Depends(get_uow)]


def api_actor(
    request: Request,
    uow: UowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is None:
        raise AuthenticationFailed("this route needs an API token: 'Authorization: Bearer …'")
    address = request.client.host if request.client else None
    return accounts.actor_for_token(uow, credentials.credentials, address)


ActorDep = Annotated[Actor, Depends(api_actor)]
