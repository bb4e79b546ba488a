"""The FastAPI app: orders in PostgreSQL (SQLAlchemy + psycopg2), a pandas summary, an httpx probe."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone

import httpx
import pandas as pd
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy import DateTime, Numeric, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql+psycopg2://benchapp:benchapp@localhost:5432/benchapp")
UPSTREAM_URL = os.environ.get("UPSTREAM_URL", "https://example.com/")

# create_engine imports psycopg2 (and so libpq) at once; it connects only on first use.
engine = create_engine(DATABASE_URL, pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer: Mapped[str] = mapped_column(String(100), index=True)
    amount: Mapped[float] = mapped_column(Numeric(12, 2))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: datetime.now(timezone.utc))


class OrderIn(BaseModel):
    customer: str
    amount: float


class OrderOut(OrderIn):
    id: int
    created: datetime


def get_session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    if os.environ.get("BENCHAPP_CREATE_TABLES") == "1":
        Base.metadata.create_all(engine)
    yield


app = FastAPI(title="benchapp", lifespan=lifespan)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/orders", response_model=OrderOut)
def create_order(order: OrderIn, session: Session = Depends(get_session)) -> Order:
    row = Order(customer=order.customer, amount=order.amount)
    session.add(row)
    session.commit()
    return row


@app.get("/orders/summary")
def summary(session: Session = Depends(get_session)) -> list[dict[str, object]]:
    rows = session.execute(select(Order.customer, Order.amount)).all()
    if not rows:
        return []
    frame = pd.DataFrame(rows, columns=["customer", "amount"]).astype({"amount": float})
    table = frame.groupby("customer")["amount"].agg(["count", "sum", "mean"]).reset_index()
    return table.to_dict(orient="records")


@app.get("/upstream")
async def upstream() -> dict[str, object]:
    async with httpx.AsyncClient(timeout=5) as client:
        try:
            response = await client.get(UPSTREAM_URL)
        except httpx.HTTPError as error:
            raise HTTPException(status_code=502, detail=str(error)) from error
    return {"url": UPSTREAM_URL, "status": response.status_code}
