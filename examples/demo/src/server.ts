import express from "express";
import { allProducts, recentOrdersForUser } from "./orders-repository";

const app = express();

app.use("/assets", express.static("public/assets"));

app.get("/api/products", async (_req, res) => {
  res.json(await allProducts());
});

app.get("/api/users/:id/orders", async (req, res) => {
  res.json(await recentOrdersForUser(Number(req.params.id)));
});

app.listen(3000);
